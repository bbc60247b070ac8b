//! Writes synthetic camera-like and screen-like source pictures for
//! `preview --sources`: `u1.png .. uN.png` (or `.jpg`) and `u1.screen.png`
//! (half the cameras' width and height times three).
//!
//! `cargo run --release --example make_sources -- DIR [N] [WIDTH HEIGHT] [png|jpg]`
//!
//! `examples/sources/` was made with `examples/sources 6 320 180 jpg`.

#[path = "../tests/common/sources.rs"]
mod sources;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: make_sources DIR [N] [WIDTH HEIGHT]");
        std::process::exit(2);
    };
    let n: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(9);
    let w: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1280);
    let h: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(720);
    let ext = args.next().unwrap_or_else(|| "png".into());
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("create DIR");
    for i in 1..=n {
        let path = dir.join(format!("u{i}.{ext}"));
        sources::camera_like(w, h, i)
            .save(&path)
            .expect("write a source");
    }
    sources::screen_like(w * 3 / 2, h * 3 / 2, 1)
        .save(dir.join("u1.screen.png"))
        .expect("write the screen");
}
