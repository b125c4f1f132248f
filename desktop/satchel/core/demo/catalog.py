"""The demo library's catalogue: each file, how it is made and how it is described."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from satchel.core.demo import documents as doc
from satchel.core.demo.content import (
    AUDIENCES,
    CASE_STUDIES,
    COLOURS,
    COMPANY,
    HEADINGS,
    PRODUCTS,
    REGION_OF,
    CaseStudy,
    Product,
)
from satchel.core.demo.template_designs import DESIGNS

NEUTRAL = (0.11, 0.15, 0.20)


# Customers whose logos marketing approved for co-branding, with their colour.
LOGOS = (
    ("Harlow Foods", (0.75, 0.22, 0.17)),
    ("St. Aurelia Medical Center", (0.16, 0.45, 0.70)),
    ("Brauerei Lenz", (0.55, 0.40, 0.10)),
)


@dataclass(frozen=True)
class DemoFile:
    """One piece of demo collateral."""

    file_name: str
    make: Callable[[], bytes]
    metadata: dict[str, str] = field(default_factory=dict)


def _meta(
    kind: str,
    language: str,
    product: str,
    stage: str,
    tags: str,
    summary: str,
    status: str = "published",
    **extra: str,
) -> dict[str, str]:
    values = {
        "kind": kind,
        "language": language,
        "product": product,
        "funnel_stage": stage,
        "tags": tags,
        "summary": summary,
        "status": status,
        "region": REGION_OF[language],
        "audience": AUDIENCES.get(kind, ""),
        "owner": OWNER_OF[language],
    }
    values.update(extra)
    return values


# Who looks after what: marketing in each language's region.
OWNER_OF = {"en": "Mara Lindqvist", "de": "Jonas Brandt", "es": "Lucía Ortega"}


def _spec_rows(product: Product, lang: str) -> list[list[str]]:
    header = {"en": ["Item", "Value"], "de": ["Merkmal", "Wert"], "es": ["Elemento", "Valor"]}
    return [header[lang]] + [[label[lang], value] for label, value in product.specs]


def brochure(product: Product, lang: str) -> bytes:
    h = HEADINGS[lang]
    title = f"{product.name} {product.code}: {product.tagline[lang]}"
    blocks = [
        ("title", f"{product.name} {product.code}"),
        ("lead", product.tagline[lang]),
        ("h", h["overview"]),
        ("p", product.pitch[lang]),
        ("h", h["features"].format(name=product.name)),
        ("bullets", product.features[lang]),
        ("break",),
        ("h", h["specs"]),
        ("table", _spec_rows(product, lang), (0.35, 0.65)),
        ("h", h["contact"]),
        (
            "p",
            {
                "en": "Book a 30-minute site assessment: we review your critical assets and "
                "show what Atlas, Beacon and Cirrus would have caught last year.",
                "de": "Vereinbaren Sie eine 30-minütige Standortanalyse: Wir prüfen Ihre "
                "kritischen Anlagen und zeigen, was unsere Lösung erkannt hätte.",
                "es": "Reserve una evaluación de 30 minutos: revisamos sus activos críticos y "
                "le mostramos qué habríamos detectado el año pasado.",
            }[lang],
        ),
    ]
    band = {"en": "Brochure", "de": "Broschüre", "es": "Folleto"}[lang]
    return doc.render_pdf(title, product.tagline[lang], lang, COLOURS[product.name], band, blocks)


def datasheet(product: Product, lang: str) -> bytes:
    h = HEADINGS[lang]
    band = {"en": "Datasheet", "de": "Datenblatt", "es": "Ficha técnica"}[lang]
    title = f"{product.name} {product.code} {band}"
    blocks = [
        ("title", title),
        ("lead", product.tagline[lang]),
        ("h", h["specs"]),
        ("table", _spec_rows(product, lang), (0.35, 0.65)),
        ("h", h["features"].format(name=product.name)),
        ("bullets", product.features[lang]),
        (
            "small",
            {
                "en": "Specifications subject to change. Revision 2026-09.",
                "de": "Technische Änderungen vorbehalten. Stand 2026-09.",
                "es": "Especificaciones sujetas a cambios. Revisión 2026-09.",
            }[lang],
        ),
    ]
    return doc.render_pdf(title, band, lang, COLOURS[product.name], band, blocks)


def one_pager(product: Product, lang: str) -> bytes:
    band = {"en": "At a glance", "de": "Auf einen Blick", "es": "De un vistazo"}[lang]
    title = f"{product.name} {band}"
    blocks = [
        ("title", title),
        ("lead", product.tagline[lang]),
        ("p", product.pitch[lang]),
        ("bullets", product.features[lang][:3]),
        (
            "kpis",
            [
                (
                    "41 %",
                    {
                        "en": "less unplanned downtime",
                        "de": "weniger Stillstand",
                        "es": "menos paradas",
                    }[lang],
                ),
                (
                    "5 min",
                    {"en": "to fit a sensor", "de": "Montage je Sensor", "es": "por sensor"}[lang],
                ),
                (
                    "9 wk",
                    {"en": "typical payback", "de": "Amortisation", "es": "retorno típico"}[lang],
                ),
            ],
        ),
    ]
    return doc.render_pdf(title, band, lang, COLOURS[product.name], band, blocks)


def case_study(story: CaseStudy) -> bytes:
    h = HEADINGS[story.language]
    band = {"en": "Case study", "de": "Fallstudie", "es": "Caso de éxito"}[story.language]
    blocks = [
        ("title", story.customer),
        ("lead", story.title),
        ("kpis", story.results),
        ("h", h["challenge"]),
        ("p", story.challenge),
        ("h", h["solution"]),
        ("p", story.solution),
        ("quote", f"“{story.quote}”"),
        ("small", story.quote_by),
    ]
    return doc.render_pdf(
        story.title,
        story.industry,
        story.language,
        COLOURS[story.product],
        band,
        blocks,
        letter=story.language == "en",
    )


def price_sheet(lang: str) -> bytes:
    band = {"en": "Price list 2027", "de": "Preisliste 2027", "es": "Lista de precios 2027"}[lang]
    currency = "USD" if lang == "en" else "EUR"
    header = {
        "en": ["Product", "Code", "List price", "Unit"],
        "de": ["Produkt", "Code", "Listenpreis", "Einheit"],
        "es": ["Producto", "Código", "Precio", "Unidad"],
    }[lang]
    rows = [header] + [
        [
            p.name,
            p.code,
            f"{p.price_usd if currency == 'USD' else p.price_eur:,} {currency}",
            p.unit[lang],
        ]
        for p in PRODUCTS
    ]
    terms = {
        "en": "Prices exclude taxes and shipping. Volume discounts from 100 tags; multi-year "
        "Cirrus subscriptions save 10 %. Valid January 1 – December 31, 2027.",
        "de": "Preise zzgl. MwSt. und Versand. Mengenrabatte ab 100 Sensoren; mehrjährige "
        "Cirrus-Verträge sparen 10 %. Gültig vom 1. Januar bis 31. Dezember 2027.",
        "es": "Precios sin impuestos ni envío. Descuentos por volumen desde 100 sensores; las "
        "suscripciones plurianuales de Cirrus ahorran un 10 %. Válido durante 2027.",
    }
    blocks = [
        ("title", band),
        ("lead", COMPANY),
        ("table", rows, (0.2, 0.15, 0.25, 0.4)),
        ("space", 12),
        ("p", terms[lang]),
    ]
    return doc.render_pdf(band, band, lang, NEUTRAL, band, blocks)


def company_brochure(lang: str) -> bytes:
    h = HEADINGS[lang]
    intro = {
        "en": "Kestrel Systems helps plants and warehouses fix machines before they break. "
        "Our sensors, gateways and analytics monitor more than 60,000 motors, pumps "
        "and fans in 14 countries.",
        "de": "Kestrel Systems hilft Werken und Lagern, Maschinen zu reparieren, bevor sie "
        "ausfallen. Unsere Lösung überwacht über 60.000 Motoren, Pumpen und Lüfter in "
        "14 Ländern.",
        "es": "Kestrel Systems ayuda a plantas y almacenes a reparar máquinas antes de que "
        "fallen. Supervisamos más de 60.000 motores, bombas y ventiladores en 14 países.",
    }
    band = {"en": "Company overview", "de": "Unternehmensprofil", "es": "Perfil de empresa"}[lang]
    blocks: list[tuple] = [("title", COMPANY), ("lead", intro[lang])]
    for product in PRODUCTS:
        blocks += [("h", f"{product.name} {product.code}"), ("p", product.pitch[lang])]
    blocks += [
        ("h", h["contact"]),
        (
            "p",
            {
                "en": "Find your local partner at kestrel-systems.example/partners.",
                "de": "Ihren Partner vor Ort finden Sie unter kestrel-systems.example/partner.",
                "es": "Encuentre su socio local en kestrel-systems.example/socios.",
            }[lang],
        ),
    ]
    return doc.render_pdf(f"{COMPANY} {band}", band, lang, NEUTRAL, band, blocks)


def _due_dates(today: dt.date) -> dict[str, dict[str, str]]:
    """Expiry, review and retirement for a few files (by name without extension)."""

    def days(n: int) -> str:
        return (today + dt.timedelta(days=n)).isoformat()

    return {
        "beacon-one-pager-es": {"expires_on": days(18)},
        "atlas-datasheet-en": {"review_on": days(9)},
        "caso-logistica-iberia": {"review_on": days(-6)},  # overdue: still listed
        "cirrus-datasheet-de": {"expires_on": days(40), "review_on": days(25)},
        "beacon-sales-deck": {"status": "retired"},  # replaced; marketers still see it
    }


def _deck_slides(product: Product) -> list[tuple[str, list[str]]]:
    features = product.features["en"]
    return [
        (
            "The problem",
            [
                "Unplanned downtime costs plants 5–20 % of capacity",
                "Most failures announce themselves weeks ahead",
                "Route-based inspections miss them",
            ],
        ),
        (f"{product.name} {product.code}", [product.tagline["en"]] + [f[0] for f in features]),
        ("Proof", [f"{c.customer}: {c.results[0][0]} {c.results[0][1]}" for c in CASE_STUDIES]),
        (
            "Next steps",
            [
                "30-minute site assessment",
                "Pilot on 20 critical assets",
                "Review results after 8 weeks",
            ],
        ),
    ]


def catalogue(today: dt.date | None = None) -> list[DemoFile]:
    """Every demo file, in a fixed order (so ids and dates come out the same each build).
    A few are due around `today` (the day the demo is built), so "Expiring soon" and
    the review dates have something to show, and one is retired."""
    files: list[DemoFile] = []
    due = _due_dates(today or dt.date.today())
    for product in PRODUCTS:
        slug = product.name.lower()
        languages = ("en", "de", "es")
        for lang in languages:
            files.append(
                DemoFile(
                    f"{slug}-brochure-{lang}.pdf",
                    partial(brochure, product, lang),
                    _meta(
                        "brochure",
                        lang,
                        product.name,
                        "awareness",
                        f"{slug}, overview",
                        product.pitch[lang],
                    ),
                )
            )
        for lang in ("en", "de"):
            files.append(
                DemoFile(
                    f"{slug}-datasheet-{lang}.pdf",
                    partial(datasheet, product, lang),
                    _meta(
                        "datasheet",
                        lang,
                        product.name,
                        "consideration",
                        f"{slug}, specifications, {product.code.lower()}",
                        {
                            "en": f"Technical data for {product.name} {product.code}.",
                            "de": f"Technische Daten zu {product.name} {product.code}.",
                        }[lang],
                        **due.get(f"{slug}-datasheet-{lang}", {}),
                    ),
                )
            )
        for lang in ("en", "es"):
            files.append(
                DemoFile(
                    f"{slug}-one-pager-{lang}.pdf",
                    partial(one_pager, product, lang),
                    _meta(
                        "one-pager",
                        lang,
                        product.name,
                        "awareness",
                        f"{slug}, leave-behind",
                        product.tagline[lang],
                        **due.get(f"{slug}-one-pager-{lang}", {}),
                    ),
                )
            )
        files.append(
            DemoFile(
                f"{slug}-product-photo.{ {'Atlas': 'png', 'Beacon': 'jpg', 'Cirrus': 'webp'}[product.name] }",
                partial(
                    doc.render_image,
                    product.name,
                    product.code,
                    COLOURS[product.name],
                    {"Atlas": "PNG", "Beacon": "JPEG", "Cirrus": "WEBP"}[product.name],
                ),
                _meta(
                    "image",
                    "en",
                    product.name,
                    "awareness",
                    f"{slug}, photo, web",
                    f"Product illustration of {product.name} {product.code} for slides and web.",
                    title=f"{product.name} {product.code} product photo",
                ),
            )
        )
        files.append(
            DemoFile(
                f"{slug}-sales-deck.pptx",
                partial(
                    doc.render_deck,
                    f"{product.name} {product.code} sales presentation",
                    _deck_slides(product),
                ),
                _meta(
                    "deck",
                    "en",
                    product.name,
                    "consideration",
                    f"{slug}, pitch",
                    f"First-meeting deck for {product.name}: problem, product, proof, next steps.",
                    **due.get(f"{slug}-sales-deck", {}),
                ),
            )
        )
    for story in CASE_STUDIES:
        files.append(
            DemoFile(
                f"{story.slug}.pdf",
                partial(case_study, story),
                _meta(
                    "case study",
                    story.language,
                    story.product,
                    "decision",
                    f"{story.industry.lower()}, customer story, {story.product.lower()}",
                    story.title,
                    region=story.region,
                    **due.get(story.slug, {}),
                ),
            )
        )
    for lang in ("en", "de", "es"):
        files.append(
            DemoFile(
                f"price-list-2027-{lang}.pdf",
                partial(price_sheet, lang),
                _meta(
                    "price sheet",
                    lang,
                    "",
                    "decision",
                    "pricing, 2027",
                    {
                        "en": "List prices for Atlas, Beacon and Cirrus valid in 2027.",
                        "de": "Listenpreise für Atlas, Beacon und Cirrus, gültig 2027.",
                        "es": "Precios de lista de Atlas, Beacon y Cirrus válidos en 2027.",
                    }[lang],
                    expires_on="2027-12-31",
                    review_on="2027-10-01",
                ),
            )
        )
        files.append(
            DemoFile(
                f"company-overview-{lang}.pdf",
                partial(company_brochure, lang),
                _meta(
                    "brochure",
                    lang,
                    "",
                    "awareness",
                    "company, overview",
                    {
                        "en": "Who Kestrel Systems is and what it sells.",
                        "de": "Wer Kestrel Systems ist und was es anbietet.",
                        "es": "Quién es Kestrel Systems y qué ofrece.",
                    }[lang],
                ),
            )
        )
    for design in DESIGNS:
        files.append(
            DemoFile(
                design.file_name,
                design.draw,
                _meta(
                    "template", "en", "", "decision", "template", design.summary, title=design.title
                ),
            )
        )
    for name, colour in LOGOS:
        files.append(
            DemoFile(
                f"logo-{name.lower().replace(' ', '-').replace('.', '')}.png",
                partial(doc.render_logo, name, colour),
                _meta(
                    "image",
                    "en",
                    "",
                    "decision",
                    "logo, co-branding",
                    f"{name}'s logo, approved for co-branded material.",
                    title=f"{name} logo",
                ),
            )
        )
    files.append(
        DemoFile(
            "security-questionnaire-answers.docx",
            lambda: doc.render_word(
                "Security questionnaire: standard answers",
                [
                    (
                        "Data protection",
                        [
                            "Customer data is stored in the region the customer "
                            "chooses (Frankfurt or Virginia) and encrypted at rest with AES-256.",
                            "Kestrel Systems is ISO 27001 certified and audited annually for SOC 2 Type II.",
                        ],
                    ),
                    (
                        "Network",
                        [
                            "Atlas gateways open outbound connections only (TLS 1.3, port 443).",
                            "No inbound firewall rules are required on the plant network.",
                        ],
                    ),
                    (
                        "Access",
                        ["Single sign-on with SAML 2.0 or OpenID Connect; role-based access."],
                    ),
                ],
            ),
            _meta(
                "datasheet",
                "en",
                "Cirrus",
                "decision",
                "security, it, rfp",
                "Approved answers for customer IT security questionnaires.",
            ),
        )
    )
    files.append(
        DemoFile(
            "implementation-guide-de.docx",
            lambda: doc.render_word(
                "Implementierungsleitfaden: von der Pilotlinie zum Rollout",
                [
                    ("Woche 1–2: Auswahl", ["Gemeinsam wählen wir 20 kritische Anlagen aus."]),
                    (
                        "Woche 3: Installation",
                        ["Sensoren und Gateways werden in zwei Tagen montiert."],
                    ),
                    (
                        "Woche 4–10: Pilot",
                        ["Cirrus lernt das Normalverhalten und meldet Abweichungen."],
                    ),
                ],
            ),
            _meta(
                "brochure",
                "de",
                "",
                "decision",
                "onboarding, rollout",
                "Ablauf eines Pilotprojekts bis zum Rollout.",
            ),
        )
    )
    files.append(
        DemoFile(
            "company-overview-deck.pptx",
            lambda: doc.render_deck(
                f"{COMPANY}: first-meeting introduction",
                [
                    (
                        "Who we are",
                        [
                            "Founded 2017 in Pittsburgh",
                            "230 people in 5 offices",
                            "60,000+ machines monitored",
                        ],
                    ),
                    ("What we do", [f"{p.name}: {p.tagline['en']}" for p in PRODUCTS]),
                ],
            ),
            _meta(
                "deck",
                "en",
                "",
                "awareness",
                "company, overview",
                "Ten-minute company introduction for first meetings.",
                title=f"{COMPANY}: first-meeting introduction (deck)",
            ),
        )
    )
    return files
