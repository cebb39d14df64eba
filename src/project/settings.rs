//! The shared look (`[layout]`): one set of settings every layout receives as
//! a Typst dictionary, and that the EPUB stylesheet will read too.

use crate::model::document::Fixed;
use crate::model::units::Length;
use crate::project::config::{LayoutSection, ParagraphStyle};

/// Layout settings, resolved: the layout's defaults with the project's
/// `[layout]` on top. Type sizes are in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub paper: String,
    pub margin_top: Length,
    pub margin_bottom: Length,
    pub margin_inside: Length,
    pub margin_outside: Length,
    pub columns: u8,
    pub gutter: Length,
    pub body_font: String,
    pub heading_font: String,
    /// Faces tried, in order, for characters the body font lacks (scripts).
    pub body_fallback: Vec<String>,
    pub heading_fallback: Vec<String>,
    pub font_size: f64,
    pub leading: f64,
    pub accent: String,
    pub paragraph: ParagraphStyle,
    /// The pages a statement is meant to fill, and by how many points the
    /// type may shrink to keep to them (0: none).
    pub pages: Option<u32>,
    pub shrink: f64,
    /// For a press PDF only: the bleed (the layout adds it, and crop marks
    /// outside it).
    pub bleed: Option<Length>,
    /// Copyfitting: on unless `fit = false` (`[layout]` or front matter).
    pub fit: bool,
    /// A QR code of the statement's online address beside the signature
    /// (on unless `[layout] qr = false`).
    pub qr: bool,
    /// What the project or the statement fixed: fitting keeps it.
    pub fixed: FixedBy,
    /// Set by copyfitting only: room left under the closing block on the
    /// last page, so that the columns above it end level and the slogans
    /// and signature follow the text (`none`: they float to the foot).
    pub balance: Option<Balance>,
}

/// How copyfitting ends a leaflet's last page (see `render::fit`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    /// The room under the slogans and signature.
    pub room: Length,
    /// The top-level block (by its mark in the generated source) the
    /// closing is placed before: the first on the last page, so that Typst
    /// meets it while the page still has room for it. `None`: at the end.
    pub at: Option<usize>,
}

/// The settings the user gave, which copyfitting leaves as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FixedBy {
    pub font_size: bool,
    pub leading: bool,
    pub columns: bool,
    pub paper: bool,
}

impl Default for Settings {
    /// The leaflet's, from the typography brief.
    fn default() -> Self {
        Settings {
            paper: "a4".into(),
            margin_top: Length::mm(14.0),
            margin_bottom: Length::mm(18.0),
            margin_inside: Length::mm(15.0),
            margin_outside: Length::mm(15.0),
            columns: 2,
            gutter: Length::mm(6.0),
            body_font: "Noto Serif".into(),
            heading_font: "Inter".into(),
            body_fallback: vec!["Noto Naskh Arabic".into(), "Noto Serif Hebrew".into()],
            heading_fallback: vec!["Noto Sans Arabic".into(), "Noto Sans Hebrew".into()],
            font_size: 10.0,
            leading: 13.0,
            accent: "#b3141c".into(),
            paragraph: ParagraphStyle::Indent,
            pages: None,
            shrink: 0.0,
            bleed: None,
            fit: true,
            qr: true,
            fixed: FixedBy::default(),
            balance: None,
        }
    }
}

impl Settings {
    /// A layout's own defaults: the booklet's for `booklet` and `book`,
    /// the leaflet's for any other (a project's layouts start from those).
    pub fn for_layout(layout: &str) -> Settings {
        match layout {
            // The anthology's book has the booklet's page, mirrored.
            "booklet" | "book" => Settings {
                paper: "a5".into(),
                margin_top: Length::mm(15.0),
                margin_bottom: Length::mm(18.0),
                margin_inside: Length::mm(16.0),
                margin_outside: Length::mm(14.0),
                columns: 1,
                leading: 13.5,
                ..Settings::default()
            },
            _ => Settings::default(),
        }
    }

    /// The layout's defaults with `[layout]` applied.
    pub fn resolve(layout: &str, section: &LayoutSection) -> Settings {
        let mut s = Settings::for_layout(layout);
        let l = section.clone();
        s.fixed = FixedBy {
            font_size: l.font_size.is_some(),
            leading: l.leading.is_some(),
            columns: l.columns.is_some(),
            paper: l.paper.is_some(),
        };
        s.fit = l.fit.is_none_or(|f| f.0);
        s.qr = l.qr.unwrap_or(true);
        if let Some(p) = l.paper {
            s.paper = p.0;
        }
        if let Some(m) = l.margins {
            s.margin_top = m.top.unwrap_or(s.margin_top);
            s.margin_bottom = m.bottom.unwrap_or(s.margin_bottom);
            s.margin_inside = m.inside.unwrap_or(s.margin_inside);
            s.margin_outside = m.outside.unwrap_or(s.margin_outside);
        }
        if let Some(c) = l.columns {
            s.columns = c.0;
        }
        if let Some(g) = l.gutter {
            s.gutter = g;
        }
        if let Some(f) = l.body_font {
            s.body_font = f;
        }
        if let Some(f) = l.heading_font {
            s.heading_font = f;
        }
        if let Some(f) = l.body_fallback {
            s.body_fallback = f;
        }
        if let Some(f) = l.heading_fallback {
            s.heading_fallback = f;
        }
        // A new size without a new leading keeps the layout's proportion.
        if let Some(size) = l.font_size {
            let ratio = s.leading / s.font_size;
            s.font_size = size.0.to_pt();
            s.leading = s.font_size * ratio;
        }
        if let Some(leading) = l.leading {
            s.leading = leading.0.to_pt();
        }
        if let Some(a) = l.accent {
            s.accent = a.0;
        }
        if let Some(p) = l.paragraph {
            s.paragraph = p.0;
        }
        s.pages = l.pages.map(|p| p.0);
        s.shrink = l.shrink.map_or(0.0, |x| x.0.to_pt());
        s
    }

    /// These settings with what a statement's front matter fixes for
    /// itself on top.
    pub fn with_front_matter(mut self, fixed: &Fixed) -> Settings {
        if let Some(size) = fixed.font_size {
            // (The leading keeps the layout's proportion, or stays as
            // `[layout]` gave it.)
            if !self.fixed.leading {
                self.leading = size * self.leading / self.font_size;
            }
            self.font_size = size;
            self.fixed.font_size = true;
        }
        if let Some(c) = fixed.columns {
            self.columns = c;
            self.fixed.columns = true;
        }
        if let Some(p) = fixed.pages {
            self.pages = Some(p);
        }
        if let Some(fit) = fixed.fit {
            self.fit = fit;
        }
        self
    }
}
