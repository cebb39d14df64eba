//! Languages: which way a script runs, and what a language tag looks like.

use crate::model::document::Dir;

/// Right-to-left scripts by primary language.
pub(crate) fn dir_of(language: &str) -> Dir {
    match language {
        "ar" | "fa" | "he" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb" | "syr" => Dir::Rtl,
        _ => Dir::Ltr,
    }
}

pub(crate) fn valid_lang(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Each language's name in itself, by primary tag: what an edition is
/// called among its translations ("Italiano", "Русский").
const AUTONYMS: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("am", "አማርኛ"),
    ("ar", "العربية"),
    ("be", "Беларуская"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("bs", "Bosanski"),
    ("ca", "Català"),
    ("ckb", "کوردی"),
    ("cs", "Čeština"),
    ("cy", "Cymraeg"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("eo", "Esperanto"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("eu", "Euskara"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("ga", "Gaeilge"),
    ("gl", "Galego"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("hy", "Հայերեն"),
    ("id", "Bahasa Indonesia"),
    ("is", "Íslenska"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ka", "ქართული"),
    ("kk", "Қазақ тілі"),
    ("ko", "한국어"),
    ("ku", "Kurdî"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("mk", "Македонски"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("ps", "پښتو"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("sq", "Shqip"),
    ("sr", "Српски"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("th", "ไทย"),
    ("tl", "Tagalog"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("vi", "Tiếng Việt"),
    ("yi", "ייִדיש"),
    ("zh", "中文"),
];

/// A tag's primary language subtag, in lower case (`pt-BR`: `pt`).
pub(crate) fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// Whether a tag is in a language: the same tag, or a regional variant of
/// a language named without a region (`pt-BR` is in `pt`, not in `pt-PT`).
pub(crate) fn in_language(tag: &str, language: &str) -> bool {
    tag.eq_ignore_ascii_case(language)
        || (!language.contains('-') && primary(tag) == primary(language))
}

/// A language's name in itself (by its primary tag: `pt-BR` is
/// "Português"), if this table knows it.
pub(crate) fn autonym(language: &str) -> Option<&'static str> {
    let primary = primary(language);
    AUTONYMS
        .iter()
        .find(|(tag, _)| *tag == primary)
        .map(|(_, name)| *name)
}

/// The language a file name gives its statement, as Hugo reads it:
/// `sciopero.it.md` is the Italian edition of `sciopero`. Only a known
/// language counts (`notes.old.md` is not in a language called `old`).
/// Returns the name without it and the tag.
pub(crate) fn name_and_lang(stem: &str) -> Option<(&str, &str)> {
    let (name, tag) = stem.rsplit_once('.')?;
    (!name.is_empty() && valid_lang(tag) && autonym(tag).is_some()).then_some((name, tag))
}

/// The name without its language and the language a file's name gives
/// (`sources/sciopero.it.md`: `sciopero`, `it`).
pub(crate) fn file_lang(path: &std::path::Path) -> Option<(String, String)> {
    let stem = path.file_stem()?.to_str()?;
    name_and_lang(stem).map(|(name, tag)| (name.to_string(), tag.to_string()))
}

/// Words the editions show, in a language.
pub(crate) struct Labels {
    pub contents: &'static str,
    pub notes: &'static str,
    pub title_page: &'static str,
    pub cover: &'static str,
    pub text: &'static str,
    pub landmarks: &'static str,
    pub back: &'static str,
    pub done: &'static str,
    pub open: &'static str,
    /// A book's preface.
    pub preface: &'static str,
    /// The e-book's list of the printed edition's pages.
    pub pages: &'static str,
    /// Before a translation's translators ("Translation: A. Martin").
    pub translation: &'static str,
}

/// The words the editions themselves show (the e-book's navigation, the
/// book's contents and preface), by primary language; English for any
/// other. One row a language, every word named, so that a reader can check
/// a row against the language it is in.
const LABELS: &[(&str, Labels)] = &[
    (
        "de",
        Labels {
            contents: "Inhalt",
            notes: "Anmerkungen",
            title_page: "Titelseite",
            cover: "Umschlag",
            text: "Text",
            landmarks: "Orientierungspunkte",
            back: "zurück zum Text",
            done: "erledigt",
            open: "offen",
            pages: "Seiten",
            translation: "Übersetzung",
            preface: "Vorwort",
        },
    ),
    (
        "fr",
        Labels {
            contents: "Sommaire",
            notes: "Notes",
            title_page: "Page de titre",
            cover: "Couverture",
            text: "Texte",
            landmarks: "Repères",
            back: "retour au texte",
            done: "fait",
            open: "à faire",
            pages: "Pages",
            translation: "Traduction",
            preface: "Préface",
        },
    ),
    (
        "es",
        Labels {
            contents: "Índice",
            notes: "Notas",
            title_page: "Portada",
            cover: "Cubierta",
            text: "Texto",
            landmarks: "Puntos de referencia",
            back: "volver al texto",
            done: "hecho",
            open: "pendiente",
            pages: "Páginas",
            translation: "Traducción",
            preface: "Prólogo",
        },
    ),
    (
        "it",
        Labels {
            contents: "Indice",
            notes: "Note",
            title_page: "Frontespizio",
            cover: "Copertina",
            text: "Testo",
            landmarks: "Punti di riferimento",
            back: "torna al testo",
            done: "fatto",
            open: "da fare",
            pages: "Pagine",
            translation: "Traduzione",
            preface: "Prefazione",
        },
    ),
    (
        "pt",
        Labels {
            contents: "Sumário",
            notes: "Notas",
            title_page: "Página de rosto",
            cover: "Capa",
            text: "Texto",
            landmarks: "Pontos de referência",
            back: "voltar ao texto",
            done: "feito",
            open: "a fazer",
            pages: "Páginas",
            translation: "Tradução",
            preface: "Prefácio",
        },
    ),
    (
        "nl",
        Labels {
            contents: "Inhoud",
            notes: "Noten",
            title_page: "Titelpagina",
            cover: "Omslag",
            text: "Tekst",
            landmarks: "Oriëntatiepunten",
            back: "terug naar de tekst",
            done: "klaar",
            open: "open",
            pages: "Pagina's",
            translation: "Vertaling",
            preface: "Voorwoord",
        },
    ),
    (
        "pl",
        Labels {
            contents: "Spis treści",
            notes: "Przypisy",
            title_page: "Strona tytułowa",
            cover: "Okładka",
            text: "Tekst",
            landmarks: "Punkty orientacyjne",
            back: "powrót do tekstu",
            done: "zrobione",
            open: "do zrobienia",
            pages: "Strony",
            translation: "Tłumaczenie",
            preface: "Przedmowa",
        },
    ),
    (
        "ru",
        Labels {
            contents: "Содержание",
            notes: "Примечания",
            title_page: "Титульная страница",
            cover: "Обложка",
            text: "Текст",
            landmarks: "Ориентиры",
            back: "назад к тексту",
            done: "сделано",
            open: "не сделано",
            pages: "Страницы",
            translation: "Перевод",
            preface: "Предисловие",
        },
    ),
    (
        "uk",
        Labels {
            contents: "Зміст",
            notes: "Примітки",
            title_page: "Титульна сторінка",
            cover: "Обкладинка",
            text: "Текст",
            landmarks: "Орієнтири",
            back: "назад до тексту",
            done: "зроблено",
            open: "не зроблено",
            pages: "Сторінки",
            translation: "Переклад",
            preface: "Передмова",
        },
    ),
    (
        "ar",
        Labels {
            contents: "المحتويات",
            notes: "الحواشي",
            title_page: "صفحة العنوان",
            cover: "الغلاف",
            text: "النص",
            landmarks: "معالم الكتاب",
            back: "العودة إلى النص",
            done: "تم",
            open: "لم يتم",
            pages: "الصفحات",
            translation: "ترجمة",
            preface: "مقدمة",
        },
    ),
    (
        "he",
        Labels {
            contents: "תוכן העניינים",
            notes: "הערות",
            title_page: "עמוד השער",
            cover: "כריכה",
            text: "טקסט",
            landmarks: "ציוני דרך",
            back: "חזרה לטקסט",
            done: "בוצע",
            open: "לביצוע",
            pages: "עמודים",
            translation: "תרגום",
            preface: "הקדמה",
        },
    ),
    (
        "ja",
        Labels {
            contents: "目次",
            notes: "注",
            title_page: "扉",
            cover: "表紙",
            text: "本文",
            landmarks: "ランドマーク",
            back: "本文に戻る",
            done: "完了",
            open: "未完了",
            pages: "ページ",
            translation: "翻訳",
            preface: "Preface",
        },
    ),
    (
        "zh",
        Labels {
            contents: "目录",
            notes: "注释",
            title_page: "扉页",
            cover: "封面",
            text: "正文",
            landmarks: "地标",
            back: "返回正文",
            done: "已完成",
            open: "未完成",
            pages: "页码",
            translation: "翻译",
            preface: "Preface",
        },
    ),
    (
        "tr",
        Labels {
            contents: "İçindekiler",
            notes: "Notlar",
            title_page: "Başlık sayfası",
            cover: "Kapak",
            text: "Metin",
            landmarks: "Yer işaretleri",
            back: "metne dön",
            done: "yapıldı",
            open: "yapılacak",
            pages: "Sayfalar",
            translation: "Çeviri",
            preface: "Önsöz",
        },
    ),
    (
        "el",
        Labels {
            contents: "Περιεχόμενα",
            notes: "Σημειώσεις",
            title_page: "Σελίδα τίτλου",
            cover: "Εξώφυλλο",
            text: "Κείμενο",
            landmarks: "Ορόσημα",
            back: "πίσω στο κείμενο",
            done: "έγινε",
            open: "εκκρεμεί",
            pages: "Σελίδες",
            translation: "Μετάφραση",
            preface: "Πρόλογος",
        },
    ),
    (
        "fa",
        Labels {
            contents: "Contents",
            notes: "Notes",
            title_page: "Title page",
            cover: "Cover",
            text: "Text",
            landmarks: "Landmarks",
            back: "back to text",
            done: "done",
            open: "to do",
            pages: "Pages",
            translation: "ترجمه",
            preface: "پیشگفتار",
        },
    ),
    (
        "en",
        Labels {
            contents: "Contents",
            notes: "Notes",
            title_page: "Title page",
            cover: "Cover",
            text: "Text",
            landmarks: "Landmarks",
            back: "back to text",
            done: "done",
            open: "to do",
            pages: "Pages",
            translation: "Translation",
            preface: "Preface",
        },
    ),
];

/// The words for a language (English when it has none of its own).
pub(crate) fn labels(language: &str) -> &'static Labels {
    let english = &LABELS[LABELS.len() - 1].1;
    LABELS
        .iter()
        .find(|(l, _)| *l == language)
        .map_or(english, |(_, labels)| labels)
}

/// Who translated an edition, in its language ("Traduzione: Giulia
/// Rossi"); `None` for an original.
pub(crate) fn translated_by(meta: &crate::model::document::Meta) -> Option<String> {
    (!meta.translators.is_empty()).then(|| {
        format!(
            "{}: {}",
            labels(&meta.language()).translation,
            meta.translators.join(", ")
        )
    })
}

/// The dash a hyphen typed between spaces becomes, with its spaces: a
/// no-break space before it (so that no line starts with the dash) and a
/// space after. French, Russian, Ukrainian and Belarusian set a spaced em
/// dash; English, German, Italian and every other language a spaced en
/// dash.
pub(crate) fn spaced_dash(language: &str) -> &'static str {
    match language {
        "fr" | "ru" | "uk" | "be" => "\u{a0}\u{2014} ",
        _ => "\u{a0}\u{2013} ",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_name_gives_a_known_language_only() {
        assert_eq!(
            super::name_and_lang("sciopero.it"),
            Some(("sciopero", "it"))
        );
        assert_eq!(super::name_and_lang("a.b.pt-BR"), Some(("a.b", "pt-BR")));
        assert_eq!(super::name_and_lang("notes.old"), None);
        assert_eq!(super::name_and_lang("sciopero"), None);
        assert_eq!(super::name_and_lang(".it"), None);
        assert_eq!(super::autonym("ru"), Some("Русский"));
        assert_eq!(super::autonym("AR"), Some("العربية"));
    }
}
