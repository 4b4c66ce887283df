"""Partnership assurance in the web: the learning-review register, multi-agency case audits and
the independent scrutineer's workspace. Rules live in ``masa.assurance``; this app stores."""
