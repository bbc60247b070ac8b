//! Colours of the job (`#RRGGBB`, §1), and their BT.709 limited-range
//! Y'CbCr values for video frames (§11).

use std::fmt;

/// An 8-bit sRGB colour.
///
/// ```
/// use mixlayout::Rgb;
/// let c = Rgb::parse("#22AAff").unwrap();
/// assert_eq!(c, Rgb([0x22, 0xaa, 0xff]));
/// assert_eq!(c.to_string(), "#22aaff");
/// assert!(Rgb::parse("22aaff").is_none());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Black, the default background colour.
    pub const BLACK: Rgb = Rgb([0, 0, 0]);
    /// White.
    pub const WHITE: Rgb = Rgb([255, 255, 255]);
    /// `#303030`, the default placeholder colour.
    pub const PLACEHOLDER: Rgb = Rgb([0x30, 0x30, 0x30]);

    /// Parses `#RRGGBB` in any case; anything else is `None`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// The colour as `RRGGBB` in lower case, without the `#` (ffmpeg and
    /// GStreamer take it after their own prefixes).
    ///
    /// ```
    /// use mixlayout::Rgb;
    /// assert_eq!(Rgb([0x22, 0xaa, 0xff]).hex(), "22aaff");
    /// ```
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("{r:02x}{g:02x}{b:02x}")
    }

    /// The colour in BT.709 Y'CbCr, limited range (§11): `Y` in
    /// 16..=235, `Cb` and `Cr` in 16..=240, rounded to the nearest integer.
    ///
    /// ```
    /// use mixlayout::Rgb;
    /// assert_eq!(Rgb::BLACK.to_ycbcr(), [16, 128, 128]);
    /// assert_eq!(Rgb::WHITE.to_ycbcr(), [235, 128, 128]);
    /// assert_eq!(Rgb([255, 0, 0]).to_ycbcr(), [63, 102, 240]);
    /// ```
    pub fn to_ycbcr(self) -> [u8; 3] {
        let [r, g, b] = self.0.map(|c| f64::from(c) / 255.0);
        let y = KR * r + KG * g + KB * b;
        let cb = (b - y) / (2.0 * (1.0 - KB));
        let cr = (r - y) / (2.0 * (1.0 - KR));
        [
            (16.0 + 219.0 * y).round() as u8,
            (128.0 + 224.0 * cb).round() as u8,
            (128.0 + 224.0 * cr).round() as u8,
        ]
    }

    /// The sRGB colour of a BT.709 limited-range Y'CbCr triple, rounded and
    /// clamped to 0..=255: the inverse of [`Rgb::to_ycbcr`] up to rounding.
    ///
    /// ```
    /// use mixlayout::Rgb;
    /// let c = Rgb([12, 200, 99]);
    /// let back = Rgb::from_ycbcr(c.to_ycbcr());
    /// assert!(back.0.iter().zip(c.0).all(|(a, b)| a.abs_diff(b) <= 2));
    /// ```
    pub fn from_ycbcr([y, cb, cr]: [u8; 3]) -> Rgb {
        let y = (f64::from(y) - 16.0) / 219.0;
        let cb = (f64::from(cb) - 128.0) / 224.0;
        let cr = (f64::from(cr) - 128.0) / 224.0;
        let r = y + 2.0 * (1.0 - KR) * cr;
        let b = y + 2.0 * (1.0 - KB) * cb;
        let g = (y - KR * r - KB * b) / KG;
        let to8 = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
        Rgb([to8(r), to8(g), to8(b)])
    }
}

/// BT.709's luma weights.
const KR: f64 = 0.2126;
const KB: f64 = 0.0722;
const KG: f64 = 1.0 - KR - KB;

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.hex())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "#",
            "#12345",
            "#1234567",
            "#12345g",
            "123456",
            "#+12345",
            "#１２３",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bt709_limited_range_by_hand() {
        // Green: Y = 16 + 219 * 0.7152 = 172.6 -> 173;
        // Cb = 128 + 224 * (0 - 0.7152) / 1.8556 = 41.67 -> 42;
        // Cr = 128 + 224 * (0 - 0.7152) / 1.5748 = 26.27 -> 26.
        assert_eq!(Rgb([0, 255, 0]).to_ycbcr(), [173, 42, 26]);
        // Blue: Y = 16 + 219 * 0.0722 = 31.8 -> 32; Cb = 240;
        // Cr = 128 - 224 * 0.0722 / 1.5748 = 117.7 -> 118.
        assert_eq!(Rgb([0, 0, 255]).to_ycbcr(), [32, 240, 118]);
        // Mid grey: Y = 16 + 219 * 128/255 = 125.9 -> 126.
        assert_eq!(Rgb([128, 128, 128]).to_ycbcr(), [126, 128, 128]);
    }

    #[test]
    fn round_trip_within_rounding() {
        for c in [
            [0, 0, 0],
            [255, 255, 255],
            [255, 0, 0],
            [12, 200, 99],
            [48, 48, 48],
        ] {
            let back = Rgb::from_ycbcr(Rgb(c).to_ycbcr());
            for (a, b) in back.0.iter().zip(c) {
                assert!(a.abs_diff(b) <= 2, "{c:?} -> {back:?}");
            }
        }
    }
}
