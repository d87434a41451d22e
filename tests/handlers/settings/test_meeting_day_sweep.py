"""The date sweep through the chat: "ngày họp: <any day/month>" never gets the error apology."""

from tests.schedules.date_sweep import FORMS, REFERENCES

APOLOGY = "Xin lỗi, tôi gặp lỗi"


def _phrases() -> list[tuple[str, int]]:
    """(phrase, reference index): every day 0–32 × month 0–13 in the two commonest forms, each
    against a rotating reference day; the days that exist only some years in every form, against
    every reference day."""
    out = []
    i = 0
    for d in range(33):
        for m in range(14):
            for form in ("{d}/{m}", "ngày {d} tháng {m}"):
                out.append((form.format(d=d, m=m), i % len(REFERENCES)))
                i += 1
    for d, m in ((29, 2), (30, 2), (31, 4)):
        for form in FORMS:
            out += [(form.format(d=d, m=m), r) for r in range(len(REFERENCES))]
    return out


async def test_meeting_day_in_any_form_on_any_day_is_answered_never_an_apology(chat, cat):
    plans = [p.id for p in cat.sorted()]

    def chat_of(ref: int):  # one chat per reference day, over the one conversation
        chat.chat_id = f"chat-{ref}"
        return chat

    for ref, now in enumerate(REFERENCES):  # one chat per reference day, plans taken in turn
        [welcome] = await chat_of(ref).send(f"/dangky {plans[ref % len(plans)]}", at=now)
        assert welcome.text.startswith("✅ Đã đăng ký")
    phrases = _phrases()
    assert len(phrases) == 1224
    bad = []
    for phrase, ref in phrases:
        replies = await chat_of(ref).send(f"ngày họp: {phrase}", at=REFERENCES[ref])
        text = "\n".join(r.text for r in replies)
        if not replies or APOLOGY in text:
            bad.append(f"{REFERENCES[ref]:%Y-%m-%d} {phrase!r}: {text[:80]!r}")
        # Either a change to confirm or a reason in words (a day that does not exist, or is past).
        elif not (text.startswith("Xác nhận thay đổi:") or text.startswith("⚠️")):
            bad.append(f"{REFERENCES[ref]:%Y-%m-%d} {phrase!r}: unexpected {text[:80]!r}")
    assert bad == [], f"{len(bad)} bad replies, first: {bad[:5]}"


async def test_29_february_in_chat_is_a_meeting_day_to_confirm_not_an_error(chat):
    chat.at(REFERENCES[0])  # 10/8/2022: no 29/2 in 2021, 2022 or 2023 — this used to crash
    await chat.send("/dangky tra-vinh-60-2022")
    reply = await chat.reply("ngày họp: 29/2")
    assert reply.text.startswith("Xác nhận thay đổi:")
    assert "Thứ Năm, 29/2/2024" in reply.text
    refused = await chat.reply("ngày họp: 31/4")
    assert refused.text.startswith("⚠️ Chưa hiểu ngày họp (ngày 31/4 không tồn tại).")
