//! Colours of the job (`#RRGGBB`, SPEC §1) and the flat colour that stands in
//! for a user's picture when the preview has none.

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

    /// A colour that stands for `user_id` when no picture of the user is at
    /// hand, the same on every machine. The id is split into a stem and its
    /// trailing decimal number (`u12` is `u` and 12): FNV-1a of the stem,
    /// mixed by murmur3's finalizer, picks a starting hue, and the number
    /// turns it by the golden angle (137.508°) per step, so that users
    /// `u1..uN` get well-separated hues. Saturation 0.55 and lightness 0.45
    /// are fixed so that labels stay readable. A preview colours a user's
    /// screen as `for_user("<user_id>.screen")`.
    ///
    /// ```
    /// use mixlayout::Rgb;
    /// assert_eq!(Rgb::for_user("u1"), Rgb::for_user("u1"));
    /// assert_ne!(Rgb::for_user("u1"), Rgb::for_user("u2"));
    /// ```
    pub fn for_user(user_id: &str) -> Rgb {
        let digits = user_id
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count()
            .min(9);
        let (stem, number) = user_id.split_at(user_id.len() - digits);
        let number: u32 = number.parse().unwrap_or(0);
        let mut hash: u32 = 0x811c_9dc5;
        for b in stem.bytes() {
            hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        hash ^= hash >> 16;
        hash = hash.wrapping_mul(0x85eb_ca6b);
        hash ^= hash >> 13;
        hash = hash.wrapping_mul(0xc2b2_ae35);
        hash ^= hash >> 16;
        let hue = (f64::from(hash % 360) + f64::from(number) * 137.508) % 360.0;
        hsl_to_rgb(hue as f32, 0.55, 0.45)
    }
}

impl Rgb {
    /// The flat colour of a user's camera ([`Rgb::for_user`] of the id) or
    /// screen (of `"<user_id>.screen"`, the name of its source file).
    ///
    /// ```
    /// use mixlayout::{Rgb, Stream};
    /// assert_eq!(Rgb::for_stream("u1", Stream::Screen), Rgb::for_user("u1.screen"));
    /// ```
    pub fn for_stream(user_id: &str, stream: crate::template::Stream) -> Rgb {
        match stream {
            crate::template::Stream::Camera => Rgb::for_user(user_id),
            crate::template::Stream::Screen => Rgb::for_user(&format!("{user_id}.screen")),
        }
    }
}

fn hsl_to_rgb(hue: f32, saturation: f32, lightness: f32) -> Rgb {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let to8 = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([to8(r), to8(g), to8(b)])
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
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
    fn neighbouring_ids_get_distinct_hues() {
        let colours: Vec<Rgb> = (1..=9).map(|i| Rgb::for_user(&format!("u{i}"))).collect();
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                let distance: u32 =
                    a.0.iter()
                        .zip(b.0)
                        .map(|(x, y)| u32::from(x.abs_diff(y)))
                        .sum();
                assert!(distance > 24, "{a} and {b} are too alike");
            }
        }
    }

    #[test]
    fn user_colours_are_mid_tones() {
        for id in ["u1", "alice", "x", "a-much-longer-user-id"] {
            let Rgb([r, g, b]) = Rgb::for_user(id);
            let max = r.max(g).max(b);
            assert!((100..=190).contains(&max), "{id}: {r} {g} {b}");
        }
    }
}
