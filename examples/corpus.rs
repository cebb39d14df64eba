//! The generated corpus the benchmarks share: a deterministic generator and
//! statements written from it. Included by each example with
//! `#[path = "corpus.rs"] mod corpus;`, so a benchmark uses only part of it.
//!
//! Everything here is a function of its seed: the same seed gives the same
//! bytes on every run and every machine.

#![allow(dead_code)]
#![allow(unreachable_pub)]

/// A small deterministic generator (xorshift), so the corpus never changes.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

pub const WORDS: &[&str] = &[
    "the",
    "city",
    "tenants",
    "rent",
    "council",
    "housing",
    "we",
    "demand",
    "public",
    "homes",
    "and",
    "of",
    "to",
    "a",
    "neighbourhood",
    "families",
    "workers",
    "together",
    "budget",
    "repair",
    "water",
    "for",
    "every",
    "right",
    "in",
    "our",
    "street",
    "assembly",
    "vote",
    "will",
    "not",
    "wait",
    "#tag",
    "@council",
    "$5",
    "-5",
    "...",
];

const WORDS_DE: &[&str] = &[
    "die",
    "Stadt",
    "Mieterinnen",
    "Miete",
    "Gemeinderat",
    "Wohnungen",
    "wir",
    "fordern",
    "öffentliche",
    "und",
    "der",
    "für",
    "alle",
    "Nachbarschaft",
    "Familien",
    "Beschäftigte",
    "gemeinsam",
    "Haushalt",
    "Instandsetzung",
    "Wasserversorgung",
    "jede",
    "Recht",
    "in",
    "unserer",
    "Straße",
    "Versammlung",
    "Abstimmung",
    "werden",
    "nicht",
    "warten",
    "Mietpreisbremse",
    "#tag",
    "@rathaus",
    "-5",
];

const WORDS_FR: &[&str] = &[
    "la",
    "ville",
    "locataires",
    "loyer",
    "conseil",
    "logement",
    "nous",
    "exigeons",
    "publics",
    "et",
    "de",
    "pour",
    "tous",
    "quartier",
    "familles",
    "travailleuses",
    "ensemble",
    "budget",
    "réparation",
    "l'eau",
    "chaque",
    "droit",
    "dans",
    "notre",
    "rue",
    "assemblée",
    "vote",
    "n'attendrons",
    "pas",
    "d'aujourd'hui",
    "#tag",
    "@mairie",
    "-5",
];

const WORDS_ES: &[&str] = &[
    "la",
    "ciudad",
    "inquilinas",
    "alquiler",
    "ayuntamiento",
    "vivienda",
    "nosotras",
    "exigimos",
    "públicas",
    "y",
    "de",
    "para",
    "todas",
    "barrio",
    "familias",
    "trabajadores",
    "juntas",
    "presupuesto",
    "reparación",
    "agua",
    "cada",
    "derecho",
    "en",
    "nuestra",
    "calle",
    "asamblea",
    "votación",
    "no",
    "esperaremos",
    "más",
    "#tag",
    "@concejo",
    "-5",
];

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn sentence_from(rng: &mut Rng, words: &[&str]) -> String {
    let n = 8 + rng.next() % 14;
    let mut out: Vec<String> = (0..n).map(|_| rng.pick(words).to_string()).collect();
    if let Some(first) = out.first_mut() {
        *first = capitalised(first);
    }
    format!("{}.", out.join(" "))
}

pub fn sentence(rng: &mut Rng) -> String {
    sentence_from(rng, WORDS)
}

/// About 1,500 words: headings, paragraphs, a quote, a list, footnotes.
/// (The one statement `bench` measures; keep its bytes as they are.)
pub fn statement(seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut md = String::from(
        "---\ntitle: A Statement for the Benchmark\nsubtitle: Measured, not guessed\nauthor: Bench Collective\ndate: 2026-06-01\nplace: Turin\nlang: en\n---\n\n",
    );
    for section in 0..6 {
        md.push_str(&format!("## Section {}\n\n", section + 1));
        for p in 0..3 {
            let sentences: Vec<String> = (0..5).map(|_| sentence(&mut rng)).collect();
            md.push_str(&sentences.join(" "));
            if p == 1 {
                md.push_str(&format!("[^n{section}]"));
            }
            md.push_str("\n\n");
        }
        md.push_str(&format!("> {}\n\n", sentence(&mut rng)));
        for _ in 0..3 {
            md.push_str(&format!("- {}\n", sentence(&mut rng)));
        }
        md.push('\n');
    }
    for section in 0..6 {
        md.push_str(&format!("[^n{section}]: {}\n", sentence(&mut rng)));
    }
    md
}

// ---------------------------------------------------------------------------
// The anthology corpus: many statements by a few organisations over three
// years, in four languages.

/// The signing organisations and where they sign.
pub const ORGANISATIONS: &[(&str, &str)] = &[
    ("Riverside Tenants' Alliance", "Hamilton"),
    ("Harbour Workers' Union", "Bristol"),
    ("Friends of the Commons", "Leeds"),
    ("Mieterverein Nordstadt", "Dortmund"),
    ("Collectif Logement 13", "Marseille"),
    ("Sindicato de Inquilinas", "Valencia"),
];

/// The first year of the corpus; dates fall in this year and the next two.
pub const FIRST_YEAR: u32 = 2024;

/// One statement's language: mostly English.
fn language(rng: &mut Rng) -> &'static str {
    match rng.next() % 10 {
        0 => "de",
        1 => "fr",
        2 => "es",
        _ => "en",
    }
}

struct Tongue {
    words: &'static [&'static str],
    titles: &'static [&'static str],
    topics: &'static [&'static str],
    subtitles: &'static [&'static str],
    headings: &'static [&'static str],
    slogans: &'static [&'static str],
}

fn tongue(lang: &str) -> Tongue {
    match lang {
        "de" => Tongue {
            words: WORDS_DE,
            titles: &["Wohnen für alle", "Keine Räumung", "Wasser ist Gemeingut"],
            topics: &["in der Nordstadt", "jetzt", "im Winter", "ohne Ausnahme"],
            subtitles: &[
                "Eine Erklärung der Versammlung",
                "Warum wir nicht zahlen",
                "Was der Rat verschweigt",
            ],
            headings: &[
                "Was geschah",
                "Unsere Forderungen",
                "Wie es weitergeht",
                "Zahlen",
                "Wer profitiert",
            ],
            slogans: &[
                "Wohnen ist ein Recht!",
                "Keine Profite mit der Miete!",
                "Gemeinsam sind wir stark!",
            ],
        },
        "fr" => Tongue {
            words: WORDS_FR,
            titles: &[
                "Un toit pour tous",
                "Non aux expulsions",
                "L'eau est un bien commun",
            ],
            topics: &["à Marseille", "maintenant", "cet hiver", "sans exception"],
            subtitles: &[
                "Déclaration de l'assemblée",
                "Pourquoi nous ne paierons pas",
                "Ce que le conseil ne dit pas",
            ],
            headings: &[
                "Ce qui s'est passé",
                "Nos revendications",
                "La suite",
                "Les chiffres",
                "Qui en profite",
            ],
            slogans: &[
                "Le logement est un droit !",
                "Pas de profit sur nos loyers !",
                "Ensemble, on gagne !",
            ],
        },
        "es" => Tongue {
            words: WORDS_ES,
            titles: &[
                "Vivienda para todas",
                "Ni un desahucio más",
                "El agua es de todas",
            ],
            topics: &["en Valencia", "ahora", "este invierno", "sin excepciones"],
            subtitles: &[
                "Declaración de la asamblea",
                "Por qué no pagaremos",
                "Lo que el ayuntamiento calla",
            ],
            headings: &[
                "Lo que pasó",
                "Nuestras demandas",
                "Qué sigue",
                "Las cifras",
                "Quién gana",
            ],
            slogans: &[
                "¡La vivienda es un derecho!",
                "¡Fuera la especulación!",
                "¡Juntas ganamos!",
            ],
        },
        _ => Tongue {
            words: WORDS,
            titles: &[
                "Housing Now",
                "Stop the Evictions",
                "Water Is a Right",
                "Repair Our Homes",
                "Public Land for Public Homes",
                "No Cuts to the Buses",
            ],
            topics: &[
                "in Elm Court",
                "before the Winter",
                "for Every Family",
                "at the Harbour",
                "on Mill Street",
            ],
            subtitles: &[
                "A statement of the general assembly",
                "Why we will not pay the increase",
                "What the council does not say",
                "Homes for people, not for profit",
            ],
            headings: &[
                "What happened",
                "Our demands",
                "What comes next",
                "The figures",
                "Who profits",
            ],
            slogans: &[
                "Homes for people, not for profit!",
                "No evictions, no exceptions!",
                "Repairs now!",
                "Water is a right!",
                "Together we win!",
            ],
        },
    }
}

/// A date in the corpus's three years (days 1–28: always valid).
fn date(rng: &mut Rng) -> (u32, u32, u32) {
    let year = FIRST_YEAR + (rng.next() % 3) as u32;
    let month = 1 + (rng.next() % 12) as u32;
    let day = 1 + (rng.next() % 28) as u32;
    (year, month, day)
}

/// A paragraph of `n` sentences in the statement's language.
fn paragraph(rng: &mut Rng, words: &[&str], n: usize) -> String {
    (0..n)
        .map(|_| sentence_from(rng, words))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The paragraph with every character that means something to Typst or
/// Markdown, as a statement pasted from the web would have them. Lines
/// that would start a Markdown list or heading are escaped so that they
/// stay text; Typst must escape them again (`=`, `+`, `1.` start a heading
/// or a list there too).
fn special_paragraph(rng: &mut Rng) -> String {
    let n = rng.next() % 1000;
    format!(
        "Costs rose by #{n} and $5 a week (see @council, rule <{n}>); 5 * 3 is not \
         snake_case_rent, nor is `rent = 2 * cost` or a path like C:\\homes\\{n}. \
         We wrote [sic] and ~50 people came, so it's \"our\" street // not theirs, \
         /* whatever the minutes say */ as http://example.org/rent?a={n}&b=2 shows: \
         -5 degrees... and still\n\
         \\= the same rent as last year, and\n\
         \\+ a service charge on top, while\n\
         1\\. the boiler, 2. the roof and 3. the damp wait for repair."
    )
}

/// Meta data of a generated statement, for reports.
pub struct Generated {
    pub text: String,
    pub lang: &'static str,
    pub year: u32,
    pub words: usize,
}

/// A statement of about `target` words for the anthology: front matter
/// (title, subtitle, author, place, date, lang), 3–5 `##` sections with
/// paragraphs, 2–4 footnotes (`[^1]`… the same labels in every statement),
/// a bullet list, a numbered list, a block quote, the paragraph of special
/// characters, bold closing slogans and an italic signature.
pub fn anthology_statement(seed: u64, target: usize) -> Generated {
    let mut rng = Rng(seed | 1);
    for _ in 0..4 {
        rng.next(); // seeds that differ in few bits diverge at once
    }
    let lang = language(&mut rng);
    let t = tongue(lang);
    // Each language has its organisations: three English, one each other.
    let (org, place) = match lang {
        "de" => ORGANISATIONS[3],
        "fr" => ORGANISATIONS[4],
        "es" => ORGANISATIONS[5],
        _ => ORGANISATIONS[(rng.next() % 3) as usize],
    };
    let (year, month, day) = date(&mut rng);
    let title = format!("{} {}", rng.pick(t.titles), rng.pick(t.topics));
    let subtitle = rng.pick(t.subtitles);
    let mut md = format!(
        "---\ntitle: \"{title}\"\nsubtitle: \"{subtitle}\"\nauthor: \"{org}\"\nplace: {place}\n\
         date: {year:04}-{month:02}-{day:02}\nlang: {lang}\n---\n\n"
    );
    let sections = rng.range(3, 5) as usize;
    let footnotes = rng.range(2, 4) as usize;
    // Where the footnote marks, lists, quote and special paragraph go.
    let quote_in = rng.next() as usize % sections;
    let bullets_in = rng.next() as usize % sections;
    let numbers_in = rng.next() as usize % sections;
    let special_in = rng.next() as usize % sections;
    // Paragraphs of 5 sentences (~72 words); the rest is ~200 words.
    let paragraphs = target.saturating_sub(220) / 72;
    let per_section = paragraphs.div_ceil(sections).max(1);
    let mut headings: Vec<&str> = t.headings.to_vec();
    let mut notes_placed = 0;
    let mut placed = 0;
    for s in 0..sections {
        let h = headings.remove(rng.next() as usize % headings.len());
        md.push_str(&format!("## {h}\n\n"));
        let here = per_section.min(paragraphs.saturating_sub(placed)).max(1);
        for p in 0..here {
            md.push_str(&paragraph(&mut rng, t.words, 5));
            // Footnotes go in order, spread over the sections.
            if notes_placed < footnotes && (p == 0 || s == sections - 1) {
                notes_placed += 1;
                md.push_str(&format!("[^{notes_placed}]"));
            }
            md.push_str("\n\n");
            placed += 1;
            if p == 0 && s == quote_in {
                md.push_str(&format!(
                    "> {}\n> {}\n\n",
                    sentence_from(&mut rng, t.words),
                    sentence_from(&mut rng, t.words)
                ));
            }
            if p == 0 && s == special_in {
                md.push_str(&special_paragraph(&mut rng));
                md.push_str("\n\n");
            }
        }
        if s == bullets_in {
            for _ in 0..rng.range(3, 5) {
                md.push_str(&format!("- {}\n", sentence_from(&mut rng, t.words)));
            }
            md.push('\n');
        }
        if s == numbers_in {
            for i in 1..=rng.range(3, 5) {
                md.push_str(&format!("{i}. {}\n", sentence_from(&mut rng, t.words)));
            }
            md.push('\n');
        }
    }
    // Closing slogans, each its own bold paragraph.
    let mut slogans: Vec<&str> = t.slogans.to_vec();
    for _ in 0..rng.range(2, 3) {
        let s = slogans.remove(rng.next() as usize % slogans.len());
        md.push_str(&format!("**{s}**\n\n"));
    }
    // Written out as pamphleteer writes dates, so that inference reads it.
    let written = pamphleteer::model::dates::long_date(
        pamphleteer::model::document::Date {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        },
        lang,
    );
    let when = match lang {
        "fr" => format!("le {written}"),
        _ => written,
    };
    md.push_str(&format!("*{org}, {place}, {when}*\n\n"));
    // Every mark has its note (a short last section may leave some out).
    for n in 1..=notes_placed {
        md.push_str(&format!("[^{n}]: {}\n", sentence_from(&mut rng, t.words)));
    }
    let words = md.split_whitespace().count();
    Generated {
        text: md,
        lang,
        year,
        words,
    }
}

/// The editors' preface: a few plain paragraphs with a heading.
pub fn preface(seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut md = String::new();
    for p in 0..4 {
        if p == 2 {
            md.push_str("## How to read this book\n\n");
        }
        md.push_str(&paragraph(&mut rng, WORDS, 4));
        md.push_str("\n\n");
    }
    md
}
