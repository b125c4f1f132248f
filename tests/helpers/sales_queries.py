"""The labelled sales queries over the demo library (issue 20): what reps type, and the
asset each expects in the top 3. The demo tests hold ranking to them; the benchmark
chooses the ranking signals' weights on them."""

from __future__ import annotations

# A small labelled set: each query a rep might type, and the asset that must be in the top 3.
RELEVANCE = [
    ("atlas datasheet", "Atlas X-200 Datasheet"),
    ("edge gateway", "Atlas X-200: The edge gateway that keeps every machine on the line talking."),
    ("vibration sensor battery", "Beacon BT-40 Datasheet"),
    (
        "bottling downtime case study",
        "How Harlow Foods cut unplanned downtime on its bottling lines by 41 %",
    ),
    (
        "hospital air handlers",
        "St. Aurelia keeps 96 air handlers healthy with predictive maintenance",
    ),
    ("brauerei", "Brauerei Lenz senkt Stillstände in der Abfüllung um ein Drittel"),
    ("preisliste", "Preisliste 2027"),
    ("lista de precios", "Lista de precios 2027"),
    ("security questionnaire", "Security questionnaire: standard answers"),
    ("SAP PM integration", "Cirrus CX Datasheet"),
    ("quotation template", "Price quote (template)"),
    ("introduction deck", "Kestrel Systems: first-meeting introduction (deck)"),
    ("beacon photo", "Beacon BT-40 product photo"),
    (
        "Überblick Cirrus",
        "Cirrus CX: Ausfälle Wochen im Voraus erkennen – und wissen, welcher Auftrag nötig ist.",
    ),
]


ATLAS_BROCHURE = "Atlas X-200: The edge gateway that keeps every machine on the line talking."
CIRRUS_BROCHURE = "Cirrus CX: Predict failures weeks ahead, and know which work order to raise."
BEACON_BROCHURE = "Beacon BT-40: Wireless vibration and temperature tags you fit in five minutes."
HARLOW = "How Harlow Foods cut unplanned downtime on its bottling lines by 41 %"
AURELIA = "St. Aurelia keeps 96 air handlers healthy with predictive maintenance"
LENZ = "Brauerei Lenz senkt Stillstände in der Abfüllung um ein Drittel"
# The labelled set (issue 20): what reps type — requests in their own words, German and
# Spanish, product codes, a few typos — each with an asset they expect in the top 3.
SALES_QUERIES = [
    *RELEVANCE,
    ("case study about reducing downtime in food plants", HARLOW),
    ("datasheet for the edge gateway", "Atlas X-200 Datasheet"),
    ("gateway datasheet", "Atlas X-200 Datasheet"),
    ("X-200 datasheet", "Atlas X-200 Datasheet"),
    ("x200 brochure", ATLAS_BROCHURE),
    ("BT-40", "Beacon BT-40 Datasheet"),
    ("how do we predict machine failures", CIRRUS_BROCHURE),
    ("wireless vibration sensors", BEACON_BROCHURE),
    ("predictive maintenance in a hospital", AURELIA),
    ("what does it cost", "Price list 2027"),
    ("prices for 2027", "Price list 2027"),
    ("slides to introduce kestrel to a new customer", "Kestrel Systems: first-meeting introduction (deck)"),
    ("company overview", "Kestrel Systems Company overview"),
    ("cirrus presentation", "Cirrus CX sales presentation"),
    ("atlas sales deck", "Atlas X-200 sales presentation"),
    ("one pager about beacon", "Beacon At a glance"),
    ("photo of the gateway", "Atlas X-200 product photo"),
    ("harlow foods logo", "Harlow Foods logo"),
    ("invitation template", "Event invitation (template)"),
    ("brochure with the customer's logo", "Co-branded brochure (template)"),
    ("answers for the it security review", "Security questionnaire: standard answers"),
    ("bottling line downtime", HARLOW),
    ("brewery case study", LENZ),
    ("Stillstände Abfüllung", LENZ),
    ("Unternehmensprofil", "Kestrel Systems Unternehmensprofil"),
    ("Datenblatt Atlas", "Atlas X-200 Datenblatt"),
    ("Sensoren für Vibration", "Beacon BT-40: Funk-Sensoren für Vibration und Temperatur – montiert in fünf Minuten."),
    ("Implementierung Rollout", "Implementierungsleitfaden: von der Pilotlinie zum Rollout"),
    ("perfil de empresa", "Kestrel Systems Perfil de empresa"),
    ("precios 2027", "Lista de precios 2027"),
    ("sensores de vibración", "Beacon BT-40: Sensores inalámbricos de vibración y temperatura instalados en cinco minutos."),
    ("paradas en centros de distribución", "Logística Ibérica evita paradas en sus centros de distribución"),
    ("predict failurs", CIRRUS_BROCHURE),  # typos
    ("vibraton sensor", BEACON_BROCHURE),
    ("questionaire", "Security questionnaire: standard answers"),
    ("edge gatway datasheet", "Atlas X-200 Datasheet"),
    ("atlas spec sheet", "Atlas X-200 Datasheet"),  # the demo's synonyms
    ("cirrus slides", "Cirrus CX sales presentation"),
    ("BT40 datasheet", "Beacon BT-40 Datasheet"),
]  # fmt: skip
