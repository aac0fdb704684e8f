#!/usr/bin/env python3
"""Generate assets/bank-holidays.json (UK bank holidays, gov.uk JSON format).

Usage (needs the PyPI package `holidays`: `pip install holidays`):

    python3 assets/generate-bank-holidays.py > assets/bank-holidays.json

The dates come from the `holidays` package (GB, subdivisions ENG, SCT, NIR).
That package lists a holiday falling on a weekend on its weekend date *and*
its "(observed)" substitute weekday; gov.uk lists only the day actually taken
off. So this script keeps weekdays only, and a weekday that carries an
"(observed)" name becomes that holiday with notes "Substitute day".
Names are mapped to gov.uk's titles; an unknown name stops the script, so a
new one-off holiday in a future version of the package is never let through
unreviewed.
"""

import datetime
import json
import sys

import holidays

FIRST_YEAR = 2018
LAST_YEAR = 2028

# gov.uk JSON key -> subdivision code in the `holidays` package.
DIVISIONS = [
    ("england-and-wales", "ENG"),
    ("scotland", "SCT"),
    ("northern-ireland", "NIR"),
]

# Name in the `holidays` package -> gov.uk title. None = not a gov.uk bank
# holiday; left out (see the comment on each).
TITLES = {
    "New Year's Day": "New Year\u2019s Day",
    "New Year Holiday": "2nd January",
    "Good Friday": "Good Friday",
    "Easter Monday": "Easter Monday",
    "May Day": "Early May bank holiday",
    "Spring Bank Holiday": "Spring bank holiday",
    "Summer Bank Holiday": "Summer bank holiday",
    "Late Summer Bank Holiday": "Summer bank holiday",
    "Saint Andrew's Day": "St Andrew\u2019s Day",
    "Saint Patrick's Day": "St Patrick\u2019s Day",
    "Battle of the Boyne": "Battle of the Boyne (Orangemen\u2019s Day)",
    "Christmas Day": "Christmas Day",
    "Boxing Day": "Boxing Day",
    "Platinum Jubilee of Elizabeth II": "Platinum Jubilee bank holiday",
    # gov.uk capitalises "Holiday" in this one title.
    "State Funeral of Queen Elizabeth II": (
        "Bank Holiday for the State Funeral of Queen Elizabeth II"
    ),
    "Coronation of Charles III": "Bank holiday for the coronation of King Charles III",
    # Proposed by the Scottish Government for Mon 15 June 2026; not on
    # gov.uk's bank-holiday list, so not in this asset.
    "Scotland's participation in the FIFA World Cup final": None,
}

# One-off titles for a particular date (the 2020 early May bank holiday was
# moved to Friday 8 May for the 75th anniversary of VE day).
DATE_TITLES = {
    datetime.date(2020, 5, 8): "Early May bank holiday (VE day)",
}

# gov.uk shows no bunting on these solemn days.
NO_BUNTING = {
    "Good Friday",
    "Battle of the Boyne (Orangemen\u2019s Day)",
    "Bank Holiday for the State Funeral of Queen Elizabeth II",
}

OBSERVED = " (observed)"


def govuk_title(name):
    if name not in TITLES:
        sys.exit(f"unknown holiday name from the `holidays` package: {name!r}; "
                 "add it to TITLES in generate-bank-holidays.py")
    return TITLES[name]


def event_for(day, names):
    """The gov.uk event for a weekday, or None when it is not a bank holiday."""
    observed = [n[: -len(OBSERVED)] for n in names if n.endswith(OBSERVED)]
    actual = [n for n in names if not n.endswith(OBSERVED)]
    # A substitute day wins over a holiday that falls on the same weekday:
    # in Scotland in 2023 (1 Jan a Sunday) gov.uk lists Mon 2 Jan as the
    # New Year's Day substitute and Tue 3 Jan as the 2nd January substitute.
    if observed:
        if len(observed) > 1:
            sys.exit(f"{day}: several substitutes on one day: {names}")
        name, notes = observed[0], "Substitute day"
    else:
        titled = [n for n in actual if govuk_title(n) is not None]
        if not titled:
            return None
        if len(titled) > 1:
            sys.exit(f"{day}: several holidays on one day: {names}")
        name, notes = titled[0], ""
    title = govuk_title(name)
    if title is None:
        return None
    title = DATE_TITLES.get(day, title)
    return {
        "title": title,
        "date": day.isoformat(),
        "notes": notes,
        "bunting": title not in NO_BUNTING,
    }


def division_events(subdiv):
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    calendar = holidays.country_holidays("GB", subdiv=subdiv, years=years)
    events = []
    for day in sorted(calendar.keys()):
        names = calendar.get_list(day)
        if day.weekday() >= 5:
            # Never a day off itself; its substitute is listed "(observed)".
            for n in names:
                govuk_title(n.removesuffix(OBSERVED))
            continue
        event = event_for(day, names)
        if event is not None:
            events.append(event)
    return events


def main():
    out = {}
    for key, subdiv in DIVISIONS:
        out[key] = {"division": key, "events": division_events(subdiv)}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
