//! Dates written out in the document's language ("8. März 2026").

use crate::document::Date;

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
