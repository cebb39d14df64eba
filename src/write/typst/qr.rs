//! A QR code of a web address, as rows of modules for the layout to draw
//! (`qr-code` in `layouts/base.typ` draws each run of dark modules as one
//! rectangle of a single vector shape).

use qrcode::{EcLevel, QrCode, Version};

/// The largest code a leaflet carries: version 6, 41 modules a side
/// (24.5 mm with its quiet zone at the layout's 0.5 mm module). A longer
/// address would make a code too large to sit beside the signature.
const LARGEST: i16 = 6;

/// The rows of the QR code of `url` ("1" a dark module), top to bottom.
/// The address is percent-encoded to ASCII first (a smaller code, and
/// every reader decodes it the same). The code is the smallest that holds
/// it at level M, raised to the strongest level of the same size: leaflets
/// get photocopied and folded. `None` when the address is too long for a
/// code of at most 41 modules (about 100 characters).
pub fn rows(url: &str) -> Option<Vec<String>> {
    let ascii = ascii_url(url);
    let base = QrCode::with_error_correction_level(ascii.as_bytes(), EcLevel::M).ok()?;
    let version = base.version();
    if !matches!(version, Version::Normal(v) if v <= LARGEST) {
        return None;
    }
    let code = [EcLevel::H, EcLevel::Q]
        .into_iter()
        .filter_map(|level| QrCode::with_version(ascii.as_bytes(), version, level).ok())
        .next()
        .unwrap_or(base);
    let n = code.width();
    let colors = code.to_colors();
    Some(
        colors
            .chunks(n)
            .map(|row| {
                row.iter()
                    .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
                    .collect()
            })
            .collect(),
    )
}

/// The address with every byte outside printable ASCII percent-encoded.
fn ascii_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.trim().bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes rows back with rqrr, from an image drawn module by module.
    fn decode(rows: &[String]) -> String {
        let scale = 4;
        let n = rows.len();
        let side = (n + 8) * scale;
        let img = image::GrayImage::from_fn(side as u32, side as u32, |x, y| {
            let (mx, my) = (x as usize / scale, y as usize / scale);
            let dark = (4..n + 4).contains(&mx)
                && (4..n + 4).contains(&my)
                && rows[my - 4].as_bytes()[mx - 4] == b'1';
            image::Luma([if dark { 0 } else { 255 }])
        });
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn an_address_comes_back_from_its_code_at_the_strongest_level_of_its_size() {
        let url = "https://example.org/statements/sciopero/it/";
        let rows = rows(url).unwrap();
        // 43 bytes: version 4 (33 modules) at M, and Q fits the same size.
        assert_eq!(rows.len(), 33);
        assert!(rows.iter().all(|r| r.len() == 33));
        assert_eq!(decode(&rows), url);
        let q = QrCode::with_version(url.as_bytes(), Version::Normal(4), EcLevel::Q).unwrap();
        let strongest: String = q
            .to_colors()
            .iter()
            .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
            .collect();
        assert_eq!(rows.concat(), strongest);
    }

    #[test]
    fn letters_beyond_ascii_are_percent_encoded_and_long_addresses_refused() {
        let url = "https://example.org/статьи/мир/ru/";
        let decoded = decode(&rows(url).unwrap());
        assert!(decoded.is_ascii());
        assert_eq!(
            decoded,
            "https://example.org/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D0%B8/%D0%BC%D0%B8%D1%80/ru/"
        );
        let long = format!("https://example.org/{}/", "x".repeat(120));
        assert_eq!(rows(&long), None);
    }
}
