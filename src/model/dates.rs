//! Dates written out in the document's language ("8. März 2026").

use crate::model::document::Date;

/// The date as a reader of `language` expects to see it on a signature line.
/// Languages without a table here get ISO 8601, which every reader understands.
pub fn long_date(date: Date, language: &str) -> String {
    let Date { year, month, day } = date;
    let m = usize::from(month - 1);
    match language {
        "en" => format!("{day} {} {year}", EN[m]),
        "de" => format!("{day}. {} {year}", DE[m]),
        "fr" => {
            let d = if day == 1 {
                "1er".to_string()
            } else {
                day.to_string()
            };
            format!("{d} {} {year}", FR[m])
        }
        "es" => format!("{day} de {} de {year}", ES[m]),
        "pt" => format!("{day} de {} de {year}", PT[m]),
        "it" => format!("{day} {} {year}", IT[m]),
        "nl" => format!("{day} {} {year}", NL[m]),
        "pl" => format!("{day} {} {year}", PL[m]),
        "ru" => format!("{day} {} {year}\u{a0}г.", RU[m]),
        "uk" => format!("{day} {} {year}\u{a0}р.", UK[m]),
        "ar" => format!("{day} {} {year}", AR[m]),
        "he" => format!("{day} ב{} {year}", HE[m]),
        _ => format!("{year:04}-{month:02}-{day:02}"),
    }
}

const EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
/// The month names used across the Arabic-speaking press (Egypt, the Gulf,
/// the Maghreb read them too), with Western digits.
const AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
/// Hebrew month names; a date reads "12 באוקטובר 2026".
const HE: [&str; 12] = [
    "ינואר",
    "פברואר",
    "מרץ",
    "אפריל",
    "מאי",
    "יוני",
    "יולי",
    "אוגוסט",
    "ספטמבר",
    "אוקטובר",
    "נובמבר",
    "דצמבר",
];
const FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const PT: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];
const IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const PL: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const UK: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];

/// Persian names of the Gregorian months, as the Iranian press writes them.
const FA: [&str; 12] = [
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
];

/// Nominative month names, which people also write in dates ("8 март 2024").
const PL_NOMINATIVE: [&str; 12] = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
];
const RU_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const UK_NOMINATIVE: [&str; 12] = [
    "січень",
    "лютий",
    "березень",
    "квітень",
    "травень",
    "червень",
    "липень",
    "серпень",
    "вересень",
    "жовтень",
    "листопад",
    "грудень",
];
/// English abbreviations (a trailing full stop is removed before lookup).
const EN_SHORT: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// English weekday names and their abbreviations.
const EN_WEEKDAYS: [&str; 17] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// Weekday names in `language` (lower case; accents optional when read).
fn weekdays(language: &str) -> &'static [&'static str] {
    match language {
        "de" => &[
            "montag",
            "dienstag",
            "mittwoch",
            "donnerstag",
            "freitag",
            "samstag",
            "sonnabend",
            "sonntag",
        ],
        "fr" => &[
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ],
        "es" => &[
            "lunes",
            "martes",
            "miércoles",
            "jueves",
            "viernes",
            "sábado",
            "domingo",
        ],
        "pt" => &[
            "segunda-feira",
            "terça-feira",
            "quarta-feira",
            "quinta-feira",
            "sexta-feira",
            "segunda",
            "terça",
            "quarta",
            "quinta",
            "sexta",
            "sábado",
            "domingo",
        ],
        "it" => &[
            "lunedì",
            "martedì",
            "mercoledì",
            "giovedì",
            "venerdì",
            "sabato",
            "domenica",
        ],
        "nl" => &[
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "zaterdag",
            "zondag",
        ],
        "pl" => &[
            "poniedziałek",
            "wtorek",
            "środa",
            "czwartek",
            "piątek",
            "sobota",
            "niedziela",
        ],
        "ru" => &[
            "понедельник",
            "вторник",
            "среда",
            "четверг",
            "пятница",
            "суббота",
            "воскресенье",
        ],
        "uk" => &[
            "понеділок",
            "вівторок",
            "середа",
            "четвер",
            "п'ятниця",
            "п’ятниця",
            "пʼятниця",
            "субота",
            "неділя",
        ],
        "ar" => &[
            "الاثنين",
            "الإثنين",
            "الثلاثاء",
            "الأربعاء",
            "الخميس",
            "الجمعة",
            "السبت",
            "الأحد",
        ],
        // "יום שבת": the word for day is a filler of its own.
        "he" => &["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת"],
        "fa" => &[
            "شنبه",
            "یکشنبه",
            "دوشنبه",
            "سه‌شنبه",
            "چهارشنبه",
            "پنجشنبه",
            "پنج‌شنبه",
            "جمعه",
        ],
        _ => &[],
    }
}

/// Whether `word` names a day of the week in `language` or English
/// (`Samstag`, `sábado`, `Sat.`). Case, accents and a trailing full stop
/// do not matter.
pub fn is_weekday(word: &str, language: &str) -> bool {
    let word = fold_accents(&normalise(word));
    weekdays(language)
        .iter()
        .chain(EN_WEEKDAYS.iter())
        .any(|name| fold_accents(name) == word)
}

/// Parses a date as people write it in running text, on a signature line:
/// ISO `2024-03-08`; day-first numeric `8.3.2024`; or day, month name and
/// year in `language` or in English (`10 January 2022`, `January 10, 2022`,
/// `1. Mai 2025`, `8 de marzo de 2024`, `le 1er mai 2024`,
/// `8 марта 2024 г.`, `8 березня 2024 р.`, `8 marca 2024 r.`,
/// `١٢ أكتوبر ٢٠٢٦`, `۱۲ اکتبر ۲۰۲۶`). A weekday may come first
/// (`Samstag, 1. Mai 2025`, `sábado 8 de marzo de 2024`).
///
/// Case, surrounding whitespace, a trailing full stop and non-breaking
/// spaces do not matter; Arabic-Indic and Persian digits count as digits,
/// and the Arabic and full-width commas as commas. The result is always a real calendar date;
/// anything else (including a month without a day or a year) is `None`.
pub fn parse_date_text(text: &str, language: &str) -> Option<Date> {
    let text = normalise(text);
    if text.is_empty() {
        return None;
    }
    crate::model::dates::parse_date(&text)
        .or_else(|| parse_numeric(&text))
        .or_else(|| parse_words(&text, language))
}

/// Lower case, whitespace (non-breaking spaces too) collapsed to single
/// spaces, Arabic-Indic and Persian digits as ASCII digits, Arabic and
/// full-width commas as commas, trailing full stops removed.
fn normalise(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined: String = words
        .join(" ")
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '\u{660}'..='\u{669}' => ascii_digit(u32::from(c) - 0x660),
            '\u{6f0}'..='\u{6f9}' => ascii_digit(u32::from(c) - 0x6f0),
            '،' | '，' => ',',
            other => other,
        })
        .collect();
    joined.trim_end_matches('.').trim_end().to_string()
}

/// The ASCII digit for `value` (0–9).
fn ascii_digit(value: u32) -> char {
    char::from_digit(value, 10).unwrap_or('0')
}

/// `8.3.2024`, `08.03.2024` or `8. 3. 2024`: day, month, four-digit year.
fn parse_numeric(text: &str) -> Option<Date> {
    let compact: String = text.chars().filter(|c| *c != ' ').collect();
    let mut parts = compact.split('.');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_digits(day, 1, 2) || !is_digits(month, 1, 2) {
        return None;
    }
    calendar_date(parse_year(year)?, month.parse().ok()?, day.parse().ok()?)
}

/// Day, month name and year in either order (`10 January 2022`,
/// `January 10, 2022`), after dropping the little words around them.
fn parse_words(text: &str, language: &str) -> Option<Date> {
    let tokens = date_tokens(text, language);
    let [first, second, year] = tokens.as_slice() else {
        return None;
    };
    let year = parse_year(year)?;
    let (day, month) = match month_number(first, language) {
        Some(month) => (parse_day(second)?, month),
        None => (parse_day(first)?, month_number(second, language)?),
    };
    calendar_date(year, month, day)
}

/// The words of a date, split at spaces and commas, each without a trailing
/// full stop (`1.`, `Sept.`, `г.`), filler words dropped. A filler glued to
/// the year (`2024г.`) is cut off.
fn date_tokens(text: &str, language: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for raw in text.split([' ', ',']) {
        let token = raw.strip_suffix('.').unwrap_or(raw);
        let digits = token.len() - token.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, rest) = token.split_at(digits);
        let token = if digits > 0 && is_filler(rest.trim_end_matches('.'), language) {
            number
        } else {
            token
        };
        if !token.is_empty() && !is_filler(token, language) {
            tokens.push(token.to_string());
        }
    }
    tokens
}

/// Words that surround a date without being part of it: articles and
/// prepositions (`le`, `de`, `den`, `el`, `a`, `lì`, `the`, `of`), year
/// markers (`г.`, `года`, `р.`, `року`, `r.`, `roku`), the word for day
/// (`يوم`, `יום`) and weekday names (in `language` or English).
fn is_filler(word: &str, language: &str) -> bool {
    let local: &[&str] = match language {
        "fr" => &["le"],
        "es" => &["de", "del", "el", "a"],
        "pt" => &["de", "do"],
        "it" => &["il", "lì", "li"],
        "de" => &["den", "am"],
        "ru" => &["г", "года", "год"],
        "uk" => &["р", "року", "рік"],
        "pl" => &["r", "roku", "dnia"],
        "ar" => &["يوم"],
        "he" => &["יום", "ביום"],
        _ => &[],
    };
    ["the", "of"].contains(&word) || local.contains(&word) || is_weekday(word, language)
}

/// The month (1–12) a name or English abbreviation stands for, in
/// `language` or English. Accents are optional (`aout`, `wrzesnia`).
fn month_number(word: &str, language: &str) -> Option<u8> {
    let word = fold_accents(word);
    if word == "sept" {
        return Some(9);
    }
    let tables: &[&[&str; 12]] = match language {
        "de" => &[&DE],
        "fr" => &[&FR],
        "es" => &[&ES],
        "pt" => &[&PT],
        "it" => &[&IT],
        "nl" => &[&NL],
        "pl" => &[&PL, &PL_NOMINATIVE],
        "ru" => &[&RU, &RU_NOMINATIVE],
        "uk" => &[&UK, &UK_NOMINATIVE],
        "ar" => &[&AR],
        "he" => &[&HE],
        "fa" => &[&FA],
        _ => &[],
    };
    // Hebrew writes "in October": באוקטובר.
    let word = match language {
        "he" => word
            .strip_prefix('ב')
            .filter(|w| HE.contains(w))
            .map_or(word.clone(), str::to_string),
        _ => word,
    };
    tables
        .iter()
        .chain([&&EN, &&EN_SHORT])
        .find_map(|table| {
            table
                .iter()
                .position(|name| fold_accents(&name.to_lowercase()) == word)
        })
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Lower-case Latin letters without their diacritics (Cyrillic is kept);
/// Arabic-script spelling variants made one (alef with or without hamza,
/// Arabic and Persian yeh and kaf; the zero-width non-joiner dropped).
fn fold_accents(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '\u{200c}')
        .map(|c| match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' => 'a',
            'ç' | 'ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ę' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ł' => 'l',
            'ń' | 'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ś' => 's',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ź' | 'ż' => 'z',
            other => other,
        })
        .collect()
}

/// A day of the month, one or two digits, with an optional ordinal suffix
/// (`1er`, `10th`, `1º`).
fn parse_day(word: &str) -> Option<u8> {
    let digits = ["er", "st", "nd", "rd", "th", "º", "ª", "°"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .unwrap_or(word);
    is_digits(digits, 1, 2).then(|| digits.parse().ok())?
}

/// A four-digit year.
fn parse_year(word: &str) -> Option<i32> {
    is_digits(word, 4, 4).then(|| word.parse().ok())?
}

fn is_digits(word: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit())
}

/// The date, if it exists in the calendar (year 1 to 9999).
fn calendar_date(year: i32, month: u8, day: u8) -> Option<Date> {
    let real = (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= crate::model::dates::days_in_month(year, month);
    real.then_some(Date { year, month, day })
}

/// The civil date of a Unix timestamp (UTC), for `SOURCE_DATE_EPOCH`.
pub fn from_unix(secs: i64) -> Date {
    // Howard Hinnant's days-to-civil algorithm.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// Parses `YYYY-MM-DD` into a real calendar date.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4) || !digits(m, 2) || !digits(d, 2) || y == "0000" {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u8 = m.parse().ok()?;
    let day: u8 = d.parse().ok()?;
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
        year,
        month,
        day,
    })
}

/// Why a text [`parse_date`] rejects is not a date: the message, and a hint
/// that names the part that is wrong (there is no month 13; February 2026
/// has 28 days). Only a text not written as YYYY-MM-DD gets told how to
/// write a date. The front matter and the project file both say this.
pub fn not_a_date(s: &str) -> (String, String) {
    let message = format!("`{s}` is not a date");
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = s.trim().split('-').collect();
    let hint = match parts[..] {
        [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
            // At most four digits each: these parse.
            let (year, month, day) = (
                y.parse::<i32>().unwrap_or(0),
                m.parse::<u8>().unwrap_or(0),
                d.parse::<u8>().unwrap_or(0),
            );
            if year == 0 {
                "there is no year 0; the years start at 0001".to_string()
            } else if !(1..=12).contains(&month) {
                format!("there is no month {month}; the months are 01 to 12")
            } else if day == 0 {
                "there is no day 0; the days of a month start at 01".to_string()
            } else if day > days_in_month(year, month) {
                let name = EN[usize::from(month - 1)];
                let days = days_in_month(year, month);
                if month == 2 {
                    format!("there is no day {day} in {name} {year}, which has {days} days")
                } else {
                    format!("there is no day {day} in {name}, which has {days} days")
                }
            } else {
                // A real day, with a one-digit month or day.
                format!("write the date as YYYY-MM-DD: {year:04}-{month:02}-{day:02}")
            }
        }
        _ => "write the date as YYYY-MM-DD, for example 2026-03-08".to_string(),
    };
    (message, hint)
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        let d = Date {
            year: 2026,
            month: 3,
            day: 8,
        };
        assert_eq!(long_date(d, "en"), "8 March 2026");
        assert_eq!(long_date(d, "de"), "8. März 2026");
        assert_eq!(long_date(d, "ru"), "8 марта 2026\u{a0}г.");
        assert_eq!(long_date(d, "xx"), "2026-03-08");
    }

    fn date(year: i32, month: u8, day: u8) -> Option<Date> {
        Some(Date { year, month, day })
    }

    #[test]
    fn iso_and_numeric_dates() {
        assert_eq!(parse_date_text("2024-03-08", "en"), date(2024, 3, 8));
        assert_eq!(parse_date_text(" 2024-03-08. ", "xx"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8.3.2024", "de"), date(2024, 3, 8));
        assert_eq!(parse_date_text("08.03.2024", "en"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8. 3. 2024", "pl"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8.3.2024.", "ru"), date(2024, 3, 8));
        assert_eq!(parse_date_text("29.02.2023", "de"), None);
        assert_eq!(parse_date_text("8.3.24", "de"), None);
        assert_eq!(parse_date_text("8.3.2024.1", "de"), None);
        assert_eq!(parse_date_text("2024-3-8", "en"), None);
    }

    #[test]
    fn english_dates_in_every_language() {
        for lang in ["en", "de", "ru", "ar", ""] {
            assert_eq!(parse_date_text("January 10, 2022", lang), date(2022, 1, 10));
            assert_eq!(parse_date_text("10 January 2022", lang), date(2022, 1, 10));
        }
        assert_eq!(parse_date_text("10 JANUARY 2022.", "en"), date(2022, 1, 10));
        assert_eq!(
            parse_date_text("January 10th, 2022", "en"),
            date(2022, 1, 10)
        );
        assert_eq!(
            parse_date_text("the 1st of May 2022", "en"),
            date(2022, 5, 1)
        );
        assert_eq!(parse_date_text("10 January, 2022", "en"), date(2022, 1, 10));
        assert_eq!(parse_date_text("Jan 10, 2022", "en"), date(2022, 1, 10));
        assert_eq!(parse_date_text("Sept. 3, 2021", "en"), date(2021, 9, 3));
        assert_eq!(parse_date_text("3 Sep 2021", "fr"), date(2021, 9, 3));
        assert_eq!(
            parse_date_text("10\u{a0}January\u{a0}2022", "en"),
            date(2022, 1, 10)
        );
    }

    #[test]
    fn dates_in_the_documents_language() {
        assert_eq!(parse_date_text("8 marzo 2024", "it"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 marzo 2024", "es"), date(2024, 3, 8));
        assert_eq!(
            parse_date_text("8 de marzo de 2024", "es"),
            date(2024, 3, 8)
        );
        assert_eq!(
            parse_date_text("8 de março de 2024", "pt"),
            date(2024, 3, 8)
        );
        assert_eq!(parse_date_text("1. Mai 2025", "de"), date(2025, 5, 1));
        assert_eq!(parse_date_text("den 8. März 2024", "de"), date(2024, 3, 8));
        assert_eq!(parse_date_text("le 8 mars 2024", "fr"), date(2024, 3, 8));
        assert_eq!(parse_date_text("1er mai 2024", "fr"), date(2024, 5, 1));
        assert_eq!(parse_date_text("15 aout 2024", "fr"), date(2024, 8, 15));
        assert_eq!(parse_date_text("8 maart 2024", "nl"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 марта 2024 г.", "ru"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 марта 2024 года", "ru"), date(2024, 3, 8));
        assert_eq!(
            parse_date_text("8\u{a0}марта 2024\u{a0}г.", "ru"),
            date(2024, 3, 8)
        );
        assert_eq!(parse_date_text("8 марта 2024г.", "ru"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 март 2024", "ru"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 березня 2024 р.", "uk"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 березень 2024", "uk"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 marca 2024 r.", "pl"), date(2024, 3, 8));
        assert_eq!(parse_date_text("8 marzec 2024", "pl"), date(2024, 3, 8));
        assert_eq!(parse_date_text("1 wrzesnia 2024", "pl"), date(2024, 9, 1));
    }

    #[test]
    fn arabic_indic_and_persian_digits_and_commas() {
        assert_eq!(parse_date_text("١٢ أكتوبر ٢٠٢٦", "ar"), date(2026, 10, 12));
        assert_eq!(parse_date_text("12 اكتوبر 2026", "ar"), date(2026, 10, 12));
        assert_eq!(parse_date_text("٢٠٢٦-١٠-١٢", "ar"), date(2026, 10, 12));
        assert_eq!(parse_date_text("١٢.١٠.٢٠٢٦", "ar"), date(2026, 10, 12));
        assert_eq!(parse_date_text("۱۲ اکتبر ۲۰۲۶", "fa"), date(2026, 10, 12));
        assert_eq!(parse_date_text("۱ مه ۲۰۲۵", "fa"), date(2025, 5, 1));
        assert_eq!(parse_date_text("12 آوریل 2026", "fa"), date(2026, 4, 12));
        assert_eq!(
            parse_date_text("October 12، 2026", "ar"),
            date(2026, 10, 12)
        );
        assert_eq!(
            parse_date_text("October 12，2026", "en"),
            date(2026, 10, 12)
        );
        // Persian month names are Persian only.
        assert_eq!(parse_date_text("12 اکتبر 2026", "ar"), None);
    }

    #[test]
    fn a_weekday_may_open_the_date() {
        assert_eq!(
            parse_date_text("Saturday 1 May 2025", "en"),
            date(2025, 5, 1)
        );
        assert_eq!(parse_date_text("Sat., May 1, 2025", "en"), date(2025, 5, 1));
        assert_eq!(
            parse_date_text("Samstag, 1. Mai 2025", "de"),
            date(2025, 5, 1)
        );
        assert_eq!(
            parse_date_text("Samstag, den 1. Mai 2025", "de"),
            date(2025, 5, 1)
        );
        assert_eq!(
            parse_date_text("samedi 8 mars 2024", "fr"),
            date(2024, 3, 8)
        );
        assert_eq!(
            parse_date_text("sabato 8 marzo 2024", "it"),
            date(2024, 3, 8)
        );
        assert_eq!(
            parse_date_text("sábado 8 de marzo de 2024", "es"),
            date(2024, 3, 8)
        );
        assert_eq!(
            parse_date_text("sabado, el 8 de marzo de 2024", "es"),
            date(2024, 3, 8)
        );
        assert_eq!(
            parse_date_text("Saturday 8 mars 2024", "fr"),
            date(2024, 3, 8)
        );
        assert_eq!(
            parse_date_text("суббота, 8 марта 2024 г.", "ru"),
            date(2024, 3, 8)
        );
        assert_eq!(
            parse_date_text("يوم السبت ١٢ أكتوبر ٢٠٢٦", "ar"),
            date(2026, 10, 12)
        );
        assert!(is_weekday("Samstag", "de"));
        assert!(is_weekday("SABADO", "es"));
        assert!(is_weekday("Sat.", "de"));
        assert!(!is_weekday("Samstag", "fr"));
        assert!(!is_weekday("Leeds", "en"));
        // A weekday is no day of the month.
        assert_eq!(parse_date_text("Saturday May 2025", "en"), None);
        assert_eq!(parse_date_text("Samstag 1. Mai 2025", "fr"), None);
    }

    #[test]
    fn every_long_date_reads_back() {
        let d = Date {
            year: 2024,
            month: 12,
            day: 1,
        };
        for lang in [
            "en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "uk", "ar", "he", "xx",
        ] {
            for month in 1..=12 {
                let d = Date { month, ..d };
                assert_eq!(
                    parse_date_text(&long_date(d, lang), lang),
                    Some(d),
                    "{lang}"
                );
            }
        }
    }

    #[test]
    fn what_is_not_a_date() {
        for text in [
            "",
            " . ",
            "Leeds",
            "May Day",
            "1 May",
            "May 2022",
            "32 January 2022",
            "29 February 2023",
            "0 March 2024",
            "10 Januar 2022 2023",
            "10 January 22",
            "10 11 2022",
            "Leeds 10 January 2022",
            "Leeds, 10 January 2022",
            "10 janvier 2022",
            "8 марта 2024 г.",
            "１０ January 2022",
            "99999999999999999999 January 2022",
        ] {
            assert_eq!(parse_date_text(text, "en"), None, "{text:?}");
        }
        // Month names only count in the document's language or English.
        assert_eq!(parse_date_text("8 mars 2024", "de"), None);
        assert_eq!(parse_date_text("8 de marzo de 2024", "it"), None);
        assert_eq!(parse_date_text("29 February 2024", "en"), date(2024, 2, 29));
    }

    #[test]
    fn why_a_text_is_not_a_date() {
        let hint = |s: &str| {
            assert_eq!(parse_date(s), None, "{s}");
            let (message, hint) = not_a_date(s);
            assert_eq!(message, format!("`{s}` is not a date"));
            hint
        };
        assert_eq!(
            hint("2026-13-45"),
            "there is no month 13; the months are 01 to 12"
        );
        assert_eq!(
            hint("2026-02-30"),
            "there is no day 30 in February 2026, which has 28 days"
        );
        assert_eq!(
            hint("2024-02-30"),
            "there is no day 30 in February 2024, which has 29 days"
        );
        assert_eq!(
            hint("2026-04-31"),
            "there is no day 31 in April, which has 30 days"
        );
        assert_eq!(
            hint("2026-00-10"),
            "there is no month 0; the months are 01 to 12"
        );
        assert_eq!(
            hint("2026-03-00"),
            "there is no day 0; the days of a month start at 01"
        );
        assert_eq!(
            hint("0000-01-01"),
            "there is no year 0; the years start at 0001"
        );
        assert_eq!(hint("2026-3-8"), "write the date as YYYY-MM-DD: 2026-03-08");
        for shape in [
            "8 March 2026",
            "08.03.2026",
            "26-03-08",
            "2026-03-08T10:00",
            "",
        ] {
            assert_eq!(
                hint(shape),
                "write the date as YYYY-MM-DD, for example 2026-03-08",
                "{shape}"
            );
        }
    }

    #[test]
    fn unix_days() {
        assert_eq!(
            from_unix(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            from_unix(1_772_928_000),
            Date {
                year: 2026,
                month: 3,
                day: 8
            }
        );
        assert_eq!(
            from_unix(951_782_400),
            Date {
                year: 2000,
                month: 2,
                day: 29
            }
        );
    }
}
