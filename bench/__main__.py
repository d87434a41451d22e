from bench import dateparser_baseline, router_speed

dateparser_baseline.main()
router_speed.main()
