"""The Zalo Official Account channel (OA Open API v3, OAuth v4): a committee's OA messaging its cells."""
