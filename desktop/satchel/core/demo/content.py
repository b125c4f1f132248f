"""What the demo company sells and says, in English, German and Spanish.

Kestrel Systems makes condition-monitoring for factories and warehouses: a rugged edge
gateway (Atlas), battery-powered vibration and temperature tags (Beacon) and an
analytics service that predicts failures (Cirrus).
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY = "Kestrel Systems"
WEBSITE = "kestrel-systems.example"
COLOURS = {"Atlas": (0.05, 0.29, 0.53), "Beacon": (0.0, 0.50, 0.45), "Cirrus": (0.42, 0.20, 0.58)}


@dataclass(frozen=True)
class Product:
    """One product line and its copy in each language."""

    name: str
    code: str
    tagline: dict[str, str]
    pitch: dict[str, str]
    features: dict[str, list[tuple[str, str]]]
    specs: list[tuple[dict[str, str], str]]
    price_eur: int
    price_usd: int
    unit: dict[str, str]


ATLAS = Product(
    name="Atlas",
    code="X-200",
    tagline={
        "en": "The edge gateway that keeps every machine on the line talking.",
        "de": "Das Edge-Gateway, das jede Maschine an der Linie verbindet.",
        "es": "La pasarela de borde que mantiene conectada cada máquina de la línea.",
    },
    pitch={
        "en": "Atlas X-200 collects readings from PLCs, Beacon tags and legacy sensors, "
        "filters them on site and forwards only what matters. It keeps working through "
        "network outages and buffers up to 30 days of data, so a lost uplink never means "
        "lost evidence when a bearing starts to fail.",
        "de": "Atlas X-200 sammelt Messwerte von SPS, Beacon-Tags und Bestandssensoren, "
        "filtert sie vor Ort und leitet nur das Wesentliche weiter. Bei Netzausfällen "
        "puffert das Gateway bis zu 30 Tage Daten – kein Messwert geht verloren.",
        "es": "Atlas X-200 recoge lecturas de PLC, etiquetas Beacon y sensores existentes, "
        "las filtra en planta y envía solo lo importante. Sigue funcionando sin red y "
        "almacena hasta 30 días de datos, para que ninguna lectura se pierda.",
    },
    features={
        "en": [
            (
                "Speaks your machines' language",
                "OPC UA, Modbus TCP/RTU, MQTT and "
                "PROFINET out of the box; no gateway-per-protocol sprawl.",
            ),
            (
                "Built for the shop floor",
                "Fanless, IP65, −30 °C to +70 °C, DIN-rail or wall mount, dual 24 V inputs.",
            ),
            (
                "Secure by default",
                "Signed firmware, TPM 2.0, outbound-only connections "
                "and IEC 62443-4-2 certified components.",
            ),
            (
                "Offline first",
                "Local rules raise alarms even with no uplink; 30 days of "
                "buffered data are forwarded when the link returns.",
            ),
        ],
        "de": [
            (
                "Spricht die Sprache Ihrer Maschinen",
                "OPC UA, Modbus TCP/RTU, MQTT und PROFINET ab Werk – kein Gateway pro Protokoll.",
            ),
            (
                "Gebaut für die Fertigung",
                "Lüfterlos, IP65, −30 °C bis +70 °C, "
                "Hutschienen- oder Wandmontage, redundante 24-V-Eingänge.",
            ),
            (
                "Sicher ab Werk",
                "Signierte Firmware, TPM 2.0, nur ausgehende Verbindungen, "
                "Komponenten nach IEC 62443-4-2 zertifiziert.",
            ),
            (
                "Offline zuerst",
                "Lokale Regeln lösen auch ohne Uplink Alarme aus; 30 Tage Pufferspeicher.",
            ),
        ],
        "es": [
            (
                "Habla el idioma de sus máquinas",
                "OPC UA, Modbus TCP/RTU, MQTT y PROFINET de serie; sin una pasarela por protocolo.",
            ),
            (
                "Hecho para la planta",
                "Sin ventilador, IP65, de −30 °C a +70 °C, montaje "
                "en carril DIN o pared, doble entrada de 24 V.",
            ),
            (
                "Seguro por defecto",
                "Firmware firmado, TPM 2.0, solo conexiones salientes "
                "y componentes certificados IEC 62443-4-2.",
            ),
            (
                "Primero sin conexión",
                "Las reglas locales generan alarmas sin red; 30 días de datos en búfer.",
            ),
        ],
    },
    specs=[
        (
            {"en": "Processor", "de": "Prozessor", "es": "Procesador"},
            "Quad-core Arm Cortex-A55, 1.8 GHz",
        ),
        ({"en": "Memory", "de": "Speicher", "es": "Memoria"}, "4 GB RAM, 64 GB industrial eMMC"),
        (
            {"en": "Interfaces", "de": "Schnittstellen", "es": "Interfaces"},
            "2× GbE, RS-485, 4 DI/2 DO, BLE 5.3",
        ),
        ({"en": "Uplink", "de": "Uplink", "es": "Enlace"}, "Ethernet, LTE Cat-4, Wi-Fi 6"),
        ({"en": "Protection", "de": "Schutzart", "es": "Protección"}, "IP65, IK08"),
        ({"en": "Temperature", "de": "Temperatur", "es": "Temperatura"}, "−30 °C … +70 °C"),
        ({"en": "Power", "de": "Versorgung", "es": "Alimentación"}, "2× 12–36 V DC, 9 W typical"),
    ],
    price_eur=1490,
    price_usd=1590,
    unit={"en": "per gateway", "de": "pro Gateway", "es": "por pasarela"},
)

BEACON = Product(
    name="Beacon",
    code="BT-40",
    tagline={
        "en": "Wireless vibration and temperature tags you fit in five minutes.",
        "de": "Funk-Sensoren für Vibration und Temperatur – montiert in fünf Minuten.",
        "es": "Sensores inalámbricos de vibración y temperatura instalados en cinco minutos.",
    },
    pitch={
        "en": "Beacon BT-40 tags magnet-mount onto motors, pumps, fans and gearboxes. "
        "They sample tri-axial vibration up to 6.4 kHz and surface temperature every "
        "ten minutes, and run five years on one battery. No cabling, no shutdown.",
        "de": "Beacon BT-40 wird per Magnet an Motoren, Pumpen, Lüftern und Getrieben "
        "befestigt. Er misst dreiachsig Vibration bis 6,4 kHz und die Oberflächen"
        "temperatur alle zehn Minuten – fünf Jahre mit einer Batterie.",
        "es": "Las etiquetas Beacon BT-40 se fijan con imán a motores, bombas, "
        "ventiladores y reductores. Miden vibración triaxial hasta 6,4 kHz y temperatura "
        "cada diez minutos, con cinco años de batería.",
    },
    features={
        "en": [
            ("Five-minute install", "Magnet or stud mount, pairs to Atlas by NFC tap."),
            (
                "Sees faults early",
                "Tri-axial MEMS accelerometer, 6.4 kHz bandwidth, "
                "envelope spectrum for bearing defects.",
            ),
            (
                "Five-year battery",
                "Replaceable ATEX-rated lithium cell; battery health reported with every reading.",
            ),
            ("Hazardous areas", "ATEX/IECEx Zone 1 variant BT-40Ex for chemical and food plants."),
        ],
        "de": [
            ("In fünf Minuten montiert", "Magnet- oder Gewindebefestigung, Kopplung per NFC."),
            (
                "Erkennt Schäden früh",
                "Dreiachsiger MEMS-Beschleunigungssensor, 6,4 kHz, "
                "Hüllkurvenspektrum für Lagerschäden.",
            ),
            (
                "Fünf Jahre Batterie",
                "Austauschbare Lithiumzelle; Batteriezustand in jeder Meldung.",
            ),
            ("Ex-Bereiche", "Variante BT-40Ex nach ATEX/IECEx Zone 1."),
        ],
        "es": [
            (
                "Instalación en cinco minutos",
                "Fijación por imán o espárrago; se empareja con Atlas con un toque NFC.",
            ),
            (
                "Detecta fallos pronto",
                "Acelerómetro MEMS triaxial de 6,4 kHz y espectro de envolvente para rodamientos.",
            ),
            (
                "Batería de cinco años",
                "Celda de litio reemplazable; estado de batería en cada lectura.",
            ),
            ("Zonas peligrosas", "Variante BT-40Ex certificada ATEX/IECEx Zona 1."),
        ],
    },
    specs=[
        (
            {"en": "Sensors", "de": "Sensoren", "es": "Sensores"},
            "Tri-axial vibration, surface temperature",
        ),
        ({"en": "Bandwidth", "de": "Bandbreite", "es": "Ancho de banda"}, "2 Hz – 6.4 kHz"),
        (
            {"en": "Radio", "de": "Funk", "es": "Radio"},
            "BLE 5.3 long range, up to 150 m line of sight",
        ),
        (
            {"en": "Battery", "de": "Batterie", "es": "Batería"},
            "Up to 5 years at 10-minute interval",
        ),
        ({"en": "Protection", "de": "Schutzart", "es": "Protección"}, "IP68, −40 °C … +85 °C"),
        ({"en": "Dimensions", "de": "Abmessungen", "es": "Dimensiones"}, "Ø 38 mm × 52 mm, 86 g"),
    ],
    price_eur=189,
    price_usd=199,
    unit={"en": "per tag", "de": "pro Sensor", "es": "por sensor"},
)

CIRRUS = Product(
    name="Cirrus",
    code="CX",
    tagline={
        "en": "Predict failures weeks ahead, and know which work order to raise.",
        "de": "Ausfälle Wochen im Voraus erkennen – und wissen, welcher Auftrag nötig ist.",
        "es": "Prediga fallos con semanas de antelación y sepa qué orden de trabajo abrir.",
    },
    pitch={
        "en": "Cirrus turns raw vibration and process data into a ranked list of assets "
        "at risk, with the likely fault, the evidence and the recommended action. It "
        "plugs into SAP PM, IBM Maximo and Fiix, so planners act in the tools they use.",
        "de": "Cirrus macht aus Vibrations- und Prozessdaten eine priorisierte Liste "
        "gefährdeter Anlagen – mit wahrscheinlichem Fehler, Belegen und empfohlener "
        "Maßnahme. Anbindung an SAP PM, IBM Maximo und Fiix inklusive.",
        "es": "Cirrus convierte los datos de vibración y proceso en una lista priorizada "
        "de activos en riesgo, con el fallo probable, la evidencia y la acción "
        "recomendada. Se integra con SAP PM, IBM Maximo y Fiix.",
    },
    features={
        "en": [
            (
                "Fault models that explain themselves",
                "Imbalance, misalignment, "
                "looseness, bearing wear and cavitation, each shown with its spectrum.",
            ),
            (
                "From alert to work order",
                "Two-way integration with SAP PM, Maximo and "
                "Fiix; alerts close when the order does.",
            ),
            (
                "Fleet benchmarks",
                "Compare identical pumps across sites and spot the outlier before it fails.",
            ),
            (
                "Your data, your region",
                "Hosted in Frankfurt or Virginia, ISO 27001 and "
                "SOC 2 Type II, SSO with SAML or OIDC.",
            ),
        ],
        "de": [
            (
                "Nachvollziehbare Fehlermodelle",
                "Unwucht, Fluchtungsfehler, Lose, "
                "Lagerverschleiß und Kavitation – jeweils mit Spektrum.",
            ),
            ("Vom Alarm zum Auftrag", "Bidirektionale Anbindung an SAP PM, Maximo und Fiix."),
            ("Flottenvergleich", "Gleiche Pumpen über alle Standorte vergleichen."),
            (
                "Ihre Daten, Ihre Region",
                "Hosting in Frankfurt, ISO 27001, SOC 2 Typ II, SSO per SAML oder OIDC.",
            ),
        ],
        "es": [
            (
                "Modelos de fallo que se explican",
                "Desequilibrio, desalineación, "
                "holguras, desgaste de rodamientos y cavitación, con su espectro.",
            ),
            ("De la alerta a la orden", "Integración bidireccional con SAP PM, Maximo y Fiix."),
            ("Comparativas de flota", "Compare bombas idénticas entre plantas."),
            ("Sus datos, su región", "Alojado en Fráncfort o Virginia, ISO 27001 y SOC 2 Tipo II."),
        ],
    },
    specs=[
        (
            {"en": "Deployment", "de": "Betrieb", "es": "Despliegue"},
            "SaaS (EU or US region) or private cloud",
        ),
        (
            {"en": "Integrations", "de": "Integrationen", "es": "Integraciones"},
            "SAP PM, IBM Maximo, Fiix, REST API, webhooks",
        ),
        (
            {"en": "Security", "de": "Sicherheit", "es": "Seguridad"},
            "ISO 27001, SOC 2 Type II, SAML/OIDC SSO",
        ),
        (
            {"en": "Retention", "de": "Aufbewahrung", "es": "Retención"},
            "Raw data 13 months, features 7 years",
        ),
        (
            {"en": "Availability", "de": "Verfügbarkeit", "es": "Disponibilidad"},
            "99.9 % monthly SLA",
        ),
    ],
    price_eur=12,
    price_usd=13,
    unit={
        "en": "per monitored asset per month",
        "de": "pro überwachter Anlage und Monat",
        "es": "por activo monitorizado y mes",
    },
)

PRODUCTS = (ATLAS, BEACON, CIRRUS)


@dataclass(frozen=True)
class CaseStudy:
    """A customer story."""

    slug: str
    language: str
    customer: str
    industry: str
    region: str
    product: str
    title: str
    challenge: str
    solution: str
    results: list[tuple[str, str]]
    quote: str
    quote_by: str


CASE_STUDIES = (
    CaseStudy(
        "case-harlow-foods",
        "en",
        "Harlow Foods",
        "Food & beverage",
        "North America",
        "Beacon",
        "How Harlow Foods cut unplanned downtime on its bottling lines by 41 %",
        "Harlow's Ohio plant runs four bottling lines around the clock. Conveyor and "
        "filler motors failed without warning about once a month, each stop costing "
        "roughly $18,000 in lost output and overtime.",
        "Maintenance fitted 220 Beacon tags to motors and gearboxes in two days, with "
        "three Atlas gateways per hall. Cirrus flagged two failing bearings in the first "
        "week; both were replaced during a planned changeover.",
        [
            ("41 %", "less unplanned downtime in year one"),
            ("$640k", "saved in lost output"),
            ("9 weeks", "to payback"),
        ],
        "We stopped finding out about bearings from the noise they make.",
        "Dana Whitfield, Maintenance Manager, Harlow Foods",
    ),
    CaseStudy(
        "case-st-aurelia",
        "en",
        "St. Aurelia Medical Center",
        "Healthcare",
        "North America",
        "Cirrus",
        "St. Aurelia keeps 96 air handlers healthy with predictive maintenance",
        "Air handling units keep operating theatres at the right pressure. A single "
        "failed fan motor forced St. Aurelia to cancel eleven surgeries in 2024.",
        "Facilities connected existing BMS sensors and 190 Beacon tags to Cirrus through "
        "the hospital's segmented OT network. Alerts now create work orders in Maximo.",
        [
            ("0", "surgeries cancelled for HVAC since go-live"),
            ("27 %", "fewer emergency call-outs"),
            ("3 days", "average warning before a fan fault"),
        ],
        "Cirrus tells us which unit needs us this week, not after it trips.",
        "Marcus Oyelaran, Director of Facilities, St. Aurelia Medical Center",
    ),
    CaseStudy(
        "fallstudie-brauerei-lenz",
        "de",
        "Brauerei Lenz",
        "Getränke",
        "DACH",
        "Atlas",
        "Brauerei Lenz senkt Stillstände in der Abfüllung um ein Drittel",
        "Die Familienbrauerei in Franken füllt 40 Millionen Flaschen im Jahr ab. Ältere "
        "Anlagen ohne Netzwerkanschluss machten eine Zustandsüberwachung bisher unmöglich.",
        "Sechs Atlas-Gateways lesen per Modbus die Steuerungen der Abfüllanlagen aus; "
        "120 Beacon-Sensoren überwachen Pumpen und Antriebe. Alles läuft auch ohne "
        "Internetverbindung weiter.",
        [
            ("34 %", "weniger ungeplante Stillstände"),
            ("2 Tage", "Installation je Linie"),
            ("11 Monate", "bis zur Amortisation"),
        ],
        "Endlich sehen wir, was unsere alten Maschinen uns sagen wollen.",
        "Thomas Lenz, Technischer Leiter, Brauerei Lenz",
    ),
    CaseStudy(
        "caso-logistica-iberia",
        "es",
        "Logística Ibérica",
        "Logística",
        "Iberia & LatAm",
        "Beacon",
        "Logística Ibérica evita paradas en sus centros de distribución",
        "Los clasificadores de paquetes de Logística Ibérica mueven 300.000 envíos al "
        "día. Una avería en temporada alta retrasaba miles de entregas.",
        "Se instalaron 480 sensores Beacon en motores de cinta y 12 pasarelas Atlas en "
        "cuatro centros. Cirrus prioriza las intervenciones en SAP PM.",
        [
            ("52 %", "menos averías en temporada alta"),
            ("4 centros", "en seis semanas"),
            ("1,2 M€", "de ahorro anual estimado"),
        ],
        "Ahora reparamos en la parada programada, no en plena campaña.",
        "Lucía Ferrández, Directora de Operaciones, Logística Ibérica",
    ),
)

# Who each piece is for, by kind and product.
AUDIENCES = {
    "brochure": "Operations leaders",
    "datasheet": "Maintenance engineers",
    "one-pager": "Plant managers",
    "case study": "Operations leaders",
    "price sheet": "Procurement",
    "deck": "Executives",
}

REGION_OF = {"en": "North America", "de": "DACH", "es": "Iberia & LatAm"}

HEADINGS = {
    "en": {
        "features": "Why teams choose {name}",
        "specs": "Technical data",
        "pricing": "Pricing",
        "contact": "Talk to us",
        "results": "Results",
        "challenge": "The challenge",
        "solution": "The solution",
        "overview": "Overview",
    },
    "de": {
        "features": "Warum Teams {name} wählen",
        "specs": "Technische Daten",
        "pricing": "Preise",
        "contact": "Sprechen Sie uns an",
        "results": "Ergebnisse",
        "challenge": "Die Herausforderung",
        "solution": "Die Lösung",
        "overview": "Überblick",
    },
    "es": {
        "features": "Por qué los equipos eligen {name}",
        "specs": "Datos técnicos",
        "pricing": "Precios",
        "contact": "Hable con nosotros",
        "results": "Resultados",
        "challenge": "El reto",
        "solution": "La solución",
        "overview": "Resumen",
    },
}

CONTACT = {
    "en": "Kestrel Systems Inc. · 400 Foundry Street, Pittsburgh, PA · sales@kestrel-systems.example",
    "de": "Kestrel Systems GmbH · Hafenstraße 12, 90402 Nürnberg · vertrieb@kestrel-systems.example",
    "es": "Kestrel Systems S.L. · Calle de Alcalá 181, 28009 Madrid · ventas@kestrel-systems.example",
}

USERS = (
    (
        "Riley Chen",
        "riley.chen@kestrel-systems.example",
        "rep",
        "Account Executive",
        "+1 412 555 0142",
        "Midwest",
    ),
    (
        "Mara Lindqvist",
        "mara.lindqvist@kestrel-systems.example",
        "marketer",
        "Product Marketing Manager",
        "+49 911 555 0187",
        "EMEA",
    ),
    (
        "Sam Okafor",
        "sam.okafor@kestrel-systems.example",
        "admin",
        "IT Systems Administrator",
        "+1 412 555 0100",
        "Global",
    ),
)

# Search synonyms marketing keeps in the demo: (term, equivalent, both ways).
SYNONYMS = (
    ("spec sheet", "datasheet", True),
    ("slides", "deck", True),
    ("cost", "price", True),
    ("brewery", "Brauerei", True),
    ("X200", "X-200", False),
    ("BT40", "BT-40", False),
    ("TCO", "total cost of ownership", True),
)

# Collections in the demo: (name, description, the start of each asset title, in order,
# the territories it is shared with: none means everyone).
COLLECTIONS = (
    (
        "Atlas X-200 launch kit",
        "Everything a rep needs for the Atlas X-200 launch.",
        (
            "Atlas X-200: The edge gateway",
            "Atlas X-200 Datasheet",
            "Atlas X-200 sales presentation",
            "Atlas At a glance",
            "Atlas X-200 product photo",
            "Price list 2027",
        ),
        (),
    ),
    (
        "Healthcare push",
        "Material for hospital and lab accounts.",
        (
            "St. Aurelia keeps",
            "Cirrus CX: Predict failures",
            "Cirrus At a glance",
            "Security questionnaire",
        ),
        (),
    ),
    (
        "DACH trade fair kit",
        "Für die Hannover Messe: Datenblätter, Preisliste und eine Referenz.",
        (
            "Atlas X-200 Datenblatt",
            "Beacon BT-40 Datenblatt",
            "Cirrus CX Datenblatt",
            "Preisliste 2027",
            "Brauerei Lenz senkt",
        ),
        ("EMEA",),  # for the reps there only (the demo's rep works the Midwest)
    ),
)
