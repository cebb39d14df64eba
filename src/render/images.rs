//! Image metadata scrubbing. Typst embeds JPEG files in the PDF byte for
//! byte, so a photo's EXIF block (camera owner, GPS position, time) would
//! travel with every leaflet. People who publish statements can be
//! endangered by that: the World serves JPEGs through `strip_jpeg`.
//! (PNG, GIF and WebP images are decoded and re-encoded by Typst, and SVG
//! is converted to vector paths, so their metadata never reaches the PDF.)

/// True if `bytes` look like a JPEG file.
pub(crate) fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// A JPEG without its metadata segments: APP1 (EXIF, XMP), APP3 to APP13
/// (IPTC and vendor data), APP15 and comments. It keeps what decoding needs:
/// APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform),
/// the tables, the frame and the scan data, unchanged. A file that cannot
/// be walked is returned as it is, for the decoder to judge.
pub(crate) fn strip_jpeg(bytes: &[u8]) -> Vec<u8> {
    let Some(mut out) = strip(bytes) else {
        return bytes.to_vec();
    };
    // Keep the one EXIF field that changes what the picture looks like: a
    // phone photo taken upright says so only in its orientation tag.
    if let Some(orientation) = orientation(bytes).filter(|o| *o != 1) {
        out.splice(2..2, orientation_segment(orientation));
    }
    out
}

/// The EXIF orientation (1 to 8) of a JPEG, if it has one.
pub(crate) fn orientation(bytes: &[u8]) -> Option<u16> {
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let o = field.value.get_uint(0)?;
    (1..=8).contains(&o).then_some(o as u16)
}

/// An APP1 segment holding an EXIF block with nothing but the orientation.
fn orientation_segment(orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian TIFF, IFD0 at 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // one value
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // padding to four bytes
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(&payload);
    segment
}

fn strip(bytes: &[u8]) -> Option<Vec<u8>> {
    if !is_jpeg(bytes) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut i = 2;
    loop {
        // Markers may be preceded by fill bytes (0xFF).
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        while bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let marker = *bytes.get(i + 1)?;
        match marker {
            // Standalone markers carry no length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&bytes[i..i + 2]);
                i += 2;
                continue;
            }
            0xD9 => {
                out.extend_from_slice(&bytes[i..i + 2]);
                return Some(out);
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]));
        let end = i + 2 + len;
        if len < 2 || end > bytes.len() {
            return None;
        }
        let metadata = matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE);
        if !metadata {
            out.extend_from_slice(&bytes[i..end]);
        }
        if marker == 0xDA {
            // Start of scan: the entropy-coded data and everything after it
            // (further scans of a progressive JPEG included) stay as they are.
            out.extend_from_slice(&bytes[end..]);
            return Some(out);
        }
        i = end;
    }
}

/// An image as it goes into an e-book.
pub(crate) struct Packaged {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub extension: &'static str,
}

/// The most pixels an e-book image keeps; larger ones are scaled down.
pub(crate) const MAX_PIXELS: u64 = 4_000_000;

/// Prepares an image for an EPUB. SVG keeps its drawing and loses its
/// `<metadata>` and comments. Everything else is decoded, turned upright by
/// its EXIF orientation, scaled down to at most 4 megapixels and encoded
/// again with its ICC colour profile and nothing else, so that no EXIF, GPS
/// or other metadata survives and every format is one of EPUB's core media
/// types: opaque photos (JPEG, WebP, TIFF, BMP) as JPEG, anything with
/// transparency, and PNG and GIF graphics, as PNG.
pub(crate) fn for_epub(bytes: &[u8]) -> Result<Packaged, String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_string();
    let start = head.trim_start();
    if start.starts_with("<svg")
        || ((start.starts_with("<?xml") || start.starts_with("<!--")) && head.contains("<svg"))
    {
        let text = std::str::from_utf8(bytes).map_err(|_| "the SVG file is not UTF-8")?;
        return Ok(Packaged {
            bytes: strip_svg(text).into_bytes(),
            media_type: "image/svg+xml",
            extension: "svg",
        });
    }
    use image::{ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = reader
        .format()
        .ok_or("not an image format pamphleteer knows")?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    let pixels = u64::from(img.width()) * u64::from(img.height());
    if pixels > MAX_PIXELS {
        let scale = (MAX_PIXELS as f64 / pixels as f64).sqrt();
        let w = ((f64::from(img.width()) * scale).floor() as u32).max(1);
        let h = ((f64::from(img.height()) * scale).floor() as u32).max(1);
        img = img.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    }
    let opaque = !img.color().has_alpha() || img.to_rgba8().pixels().all(|p| p.0[3] == 255);
    let photo = matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Tiff | ImageFormat::Bmp
    );
    let mut out = Vec::new();
    if photo && opaque {
        let rgb = img.to_rgb8();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        if let Some(icc) = icc {
            let _ = encoder.set_icc_profile(icc);
        }
        encoder
            .write_image(
                &rgb,
                rgb.width(),
                rgb.height(),
                image::ExtendedColorType::Rgb8,
            )
            .map_err(|e| e.to_string())?;
        Ok(Packaged {
            bytes: out,
            media_type: "image/jpeg",
            extension: "jpg",
        })
    } else {
        let mut encoder = image::codecs::png::PngEncoder::new(&mut out);
        if let Some(icc) = icc {
            let _ = encoder.set_icc_profile(icc);
        }
        img.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        Ok(Packaged {
            bytes: out,
            media_type: "image/png",
            extension: "png",
        })
    }
}

/// An SVG without `<metadata>` elements (authors, places, RDF) and comments.
pub(crate) fn strip_svg(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    loop {
        let meta = rest.find("<metadata");
        let comment = rest.find("<!--");
        let (start, end_tag) = match (meta, comment) {
            (Some(m), Some(c)) if c < m => (c, "-->"),
            (Some(m), _) => (m, "</metadata>"),
            (None, Some(c)) => (c, "-->"),
            (None, None) => break,
        };
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        // `<metadata/>` closes itself.
        let end = if end_tag == "</metadata>"
            && after.find('>').is_some_and(|i| after[..i].ends_with('/'))
        {
            after.find('>').map(|i| i + 1)
        } else {
            after.find(end_tag).map(|i| i + end_tag.len())
        };
        match end {
            Some(e) => rest = &after[e..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    #[test]
    fn drops_exif_xmp_iptc_and_comments_keeps_the_rest() {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0keep-jfif"));
        jpeg.extend(segment(0xE1, b"Exif\0\0GPS 51.5N owner=Alice"));
        jpeg.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"));
        jpeg.extend(segment(0xE2, b"ICC_PROFILE\0keep-icc"));
        jpeg.extend(segment(0xED, b"Photoshop 3.0\0IPTC byline"));
        jpeg.extend(segment(0xFE, b"a comment"));
        jpeg.extend(segment(0xDB, b"quant-tables"));
        jpeg.extend(segment(0xDA, b"scan-header"));
        jpeg.extend(b"\x12\x34\xFF\x00entropy\xFF\xD9");
        let out = strip_jpeg(&jpeg);
        let text = String::from_utf8_lossy(&out);
        for gone in ["Exif", "Alice", "xmpmeta", "IPTC", "a comment"] {
            assert!(!text.contains(gone), "{gone} survived");
        }
        for kept in [
            "keep-jfif",
            "keep-icc",
            "quant-tables",
            "scan-header",
            "entropy",
        ] {
            assert!(text.contains(kept), "{kept} was lost");
        }
        assert!(out.ends_with(b"\xFF\xD9"));
    }

    #[test]
    fn the_orientation_survives_alone() {
        // An EXIF block with an owner and orientation 6 (rotate 90°).
        let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
        exif.extend_from_slice(&[0, 2]); // two entries
        exif.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
        exif.extend_from_slice(&[0x01, 0x3B, 0, 2, 0, 0, 0, 4, b'A', b'd', b'a', 0]); // Artist = "Ada"
        exif.extend_from_slice(&[0, 0, 0, 0]);
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE1, &exif));
        jpeg.extend(segment(0xDA, b"scan"));
        jpeg.extend(b"data\xFF\xD9");
        assert_eq!(orientation(&jpeg), Some(6));
        let out = strip_jpeg(&jpeg);
        assert_eq!(orientation(&out), Some(6));
        assert!(!out.windows(3).any(|w| w == b"Ada"));
    }

    #[test]
    fn svg_metadata_and_comments_go() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- by Ada at 51.5N -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"><metadata><rdf:RDF>Ada</rdf:RDF></metadata><rect width=\"1\" height=\"1\"/><metadata/></svg>";
        let out = strip_svg(svg);
        assert!(!out.contains("Ada") && !out.contains("metadata"), "{out}");
        assert!(out.contains("<rect width=\"1\" height=\"1\"/>"));
    }

    #[test]
    fn other_files_pass_unchanged() {
        assert_eq!(strip_jpeg(b"\x89PNG\r\n"), b"\x89PNG\r\n");
        let truncated = [0xFF, 0xD8, 0xFF, 0xE1, 0x00];
        assert_eq!(strip_jpeg(&truncated), truncated);
    }
}
