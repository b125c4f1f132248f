"""Snippets: the sentence with the hit, whole words, no running headers or footers."""

from __future__ import annotations

from satchel.core.search.snippets import (
    best_snippet,
    line_key,
    matcher,
    plain_snippet,
    shared_lines,
)

HEADER = "KESTREL SYSTEMS Brochure"
FOOTER = "Kestrel Systems Inc. · 400 Foundry Street, Pittsburgh · {page}"
BODY = [
    "Overview\nCirrus turns raw vibration and process data into a ranked list of assets at "
    "risk, with the likely fault, the evidence and the recommended action. It plugs into SAP "
    "PM, IBM Maximo and Fiix, so planners act in the tools they use.",
    "Technical data\nDeployment SaaS or private cloud. Integrations SAP PM, IBM Maximo, Fiix, "
    "REST API and webhooks for every alert. Retention of raw data is 13 months, features 7 "
    "years, and the availability is 99.9 % under the monthly service level agreement that "
    "comes with every subscription and is reviewed each quarter with the customer's team.",
]
PAGES = [(n, f"{HEADER}\n{FOOTER.format(page=n)}\n{body}") for n, body in enumerate(BODY, start=1)]


def test_a_snippet_starts_at_the_sentence_with_the_hit_and_ends_on_a_whole_word() -> None:
    snippet = best_snippet(PAGES, matcher(["webhook"]))
    assert snippet is not None and snippet.page == 2
    assert snippet.text.startswith("Integrations SAP PM")
    assert snippet.text.endswith("…")
    last_word = snippet.text[:-1].rsplit(" ", 1)[1]
    assert last_word in BODY[1].split()
    assert [snippet.text[s:e] for s, e in snippet.marks] == ["webhooks"]


def test_running_headers_and_footers_never_start_a_snippet() -> None:
    plain = plain_snippet(PAGES)
    assert plain is not None and plain.text.startswith("Overview Cirrus turns")
    hit = best_snippet(PAGES, matcher(["cirrus"]))
    assert hit is not None and "Foundry" not in hit.text and "KESTREL" not in hit.text


def test_a_one_page_document_keeps_every_line() -> None:
    (page,) = PAGES[:1]
    plain = plain_snippet([page])
    assert plain is not None and plain.text.startswith(HEADER)
    assert plain_snippet([]) is None


def test_a_hit_far_into_a_long_sentence_starts_at_a_word_with_an_ellipsis() -> None:
    text = " ".join(f"word{n}" for n in range(80)) + " target " + "tail " * 40
    snippet = best_snippet([(1, text)], matcher(["target"]))
    assert snippet is not None
    assert snippet.text.startswith("…word") and " target " in snippet.text
    assert snippet.text.split(" ")[0][1:] in text.split()


def test_a_letterhead_shared_by_the_results_never_starts_a_one_pagers_snippet() -> None:
    one_pagers = [[(1, f"{HEADER}\n{title}\n{body}\n{FOOTER.format(page=1)}")]
                  for title, body in (("Atlas at a glance", "Edge gateway for every line."),
                                      ("Beacon at a glance", "Sensors fitted in minutes."),
                                      ("Cirrus at a glance", "Failures weeks ahead."),
                                      ("Price list", "Gateways, sensors, software."))]  # fmt: skip
    letterhead = shared_lines(one_pagers)
    assert letterhead == {line_key(HEADER), line_key(FOOTER.format(page=1))}
    plain = plain_snippet(one_pagers[1], letterhead)
    assert plain is not None and plain.text.startswith("Beacon at a glance Sensors")
    hit = best_snippet(one_pagers[2], matcher(["kestrel", "weeks"]), letterhead)
    assert hit is not None and hit.text.startswith("Failures weeks ahead.")
    assert shared_lines(one_pagers[:2]) == set()  # two documents say nothing
