//! `record` (issue 16), against the real ffmpeg: the media are made here by
//! ffmpeg's `lavfi` sources (flat colours, colours that change at a known
//! time, a beep at a known time), so that what each frame and each sample
//! must hold is known by hand.
//!
//! In CI (`CI=true`) a missing ffmpeg fails the tests; elsewhere they say
//! they were skipped.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use image::{Rgb, RgbImage};
use serde_json::Value;

/// The canvas of the tests' jobs.
const W: u32 = 320;
const H: u32 = 180;
const FPS: u64 = 30;

fn ffmpeg_here() -> bool {
    common::available("ffmpeg") && common::available("ffprobe")
}

/// Runs ffmpeg to make a test file; panics with what it said.
fn ffmpeg(dir: &Path, args: &[&str]) {
    let out = Command::new("ffmpeg")
        .current_dir(dir)
        .args(["-v", "error", "-y", "-nostdin"])
        .args(args)
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A file of one flat colour (`0xRRGGBB`), `secs` long, with a tone.
fn flat(dir: &Path, name: &str, color: &str, secs: u32) {
    let video = format!("color=c={color}:s=320x180:r=30:d={secs}");
    let audio = format!("sine=f=440:d={secs}");
    let codecs: &[&str] = if name.ends_with(".webm") {
        &["-c:v", "libvpx", "-b:v", "300k", "-c:a", "libopus"]
    } else {
        &["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"]
    };
    let mut args = vec!["-f", "lavfi", "-i", &video, "-f", "lavfi", "-i", &audio];
    args.extend_from_slice(codecs);
    args.extend_from_slice(&["-shortest", name]);
    ffmpeg(dir, &args);
}

/// A file that is `first` for 2 s, then `second` for 2 s (no audio).
fn two_colours(dir: &Path, name: &str, first: &str, second: &str) {
    let graph = format!(
        "color=c={first}:s=320x180:r=30:d=2[a];color=c={second}:s=320x180:r=30:d=2[b];[a][b]concat=n=2:v=1:a=0"
    );
    ffmpeg(
        dir,
        &[
            "-filter_complex",
            &graph,
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            name,
        ],
    );
}

/// Writes the job, events and media list of a meeting into `dir`.
fn meeting(dir: &Path, job: &str, events: &str, media: &str) {
    std::fs::write(dir.join("job.json"), job).unwrap();
    std::fs::write(dir.join("events.json"), events).unwrap();
    std::fs::write(dir.join("media.json"), media).unwrap();
}

/// A meeting of one user, `u1`, whose camera file `a.mp4` is `secs` of
/// flat red, on a 320x180 canvas of `encode` (`320x180_FPS_KBPS`).
fn solo(name: &str, encode: &str, secs: u32) -> std::path::PathBuf {
    let dir = common::scratch(name);
    flat(&dir, "a.mp4", "0xc83232", secs);
    let job = format!(
        r#"{{"room_id": "r", "encode_template": "{encode}", "layout_template": "nine_grids_view"}}"#
    );
    meeting(
        &dir,
        &job,
        r#"[{"type": "join", "user_id": "u1", "at": 0}]"#,
        r#"{"sources": [{"user_id": "u1", "file": "a.mp4", "start": 0}]}"#,
    );
    dir
}

/// The CLI's `record` of the meeting in `dir`.
fn record_command(dir: &Path) -> Command {
    let mut command = common::cli();
    command.current_dir(dir).args([
        "record",
        "--job",
        "job.json",
        "--events",
        "events.json",
        "--media",
        "media.json",
    ]);
    command
}

/// `record` of the meeting in `dir`, quiet, with `extra` arguments.
fn record(dir: &Path, extra: &[&str]) -> Output {
    record_command(dir)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("the CLI runs")
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "the CLI failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every frame of a recording, as RGB (BT.709 limited range converted).
fn frames(file: &Path) -> Vec<RgbImage> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-i"])
        .arg(file)
        .args([
            "-vf",
            "scale=in_color_matrix=bt709:in_range=tv,format=rgb24",
            "-f",
            "rawvideo",
            "pipe:1",
        ])
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success());
    let len = (W * H * 3) as usize;
    out.stdout
        .chunks_exact(len)
        .map(|c| RgbImage::from_raw(W, H, c.to_vec()).unwrap())
        .collect()
}

/// The left channel of a recording's sound, 48 kHz.
fn sound(file: &Path) -> Vec<f32> {
    let decoded = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-i"])
        .arg(file)
        .args(["-map", "0:a", "-ar", "48000", "-f", "f32le", "pipe:1"])
        .output()
        .unwrap();
    decoded
        .stdout
        .chunks_exact(8)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// A stream's field as ffprobe gives it (`v:0`, `a:0`).
fn probe(file: &Path, stream: &str, field: &str) -> Option<String> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            stream,
            "-show_entries",
        ])
        .arg(format!("stream={field}"))
        .args(["-of", "default=nw=1:nk=1"])
        .arg(file)
        .output()
        .expect("ffprobe runs");
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The layout JSON at instant `at`.
fn layout_at(dir: &Path, at: u64) -> Value {
    let at = at.to_string();
    let out = common::run_in(
        dir,
        &[
            "layout",
            "--job",
            "job.json",
            "--events",
            "events.json",
            "--at",
            &at,
        ],
    );
    assert_ok(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The centre of a tile of a layout's JSON.
fn centre(tile: &Value) -> (u32, u32) {
    let r = &tile["rect"];
    let n = |k: &str| r[k].as_u64().unwrap() as u32;
    (n("x") + n("width") / 2, n("y") + n("height") / 2)
}

fn rgb(hex: u32) -> Rgb<u8> {
    Rgb([(hex >> 16) as u8, (hex >> 8) as u8, hex as u8])
}

fn assert_near(got: Rgb<u8>, want: Rgb<u8>, what: &str) {
    let off = got
        .0
        .iter()
        .zip(want.0)
        .map(|(&g, w)| g.abs_diff(w))
        .max()
        .unwrap();
    assert!(off <= 12, "{what}: got {got:?}, want {want:?}");
}

/// The instant of frame `n`.
fn instant(n: u64) -> u64 {
    n * 1000 / FPS
}

/// No ffmpeg or ffprobe of this test (one working in its folder) is left
/// running.
fn assert_no_children(dir: &Path) {
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let (Ok(cwd), Ok(comm)) = (
            std::fs::read_link(entry.path().join("cwd")),
            std::fs::read_to_string(entry.path().join("comm")),
        ) else {
            continue;
        };
        assert!(
            !(cwd == dir && comm.starts_with("ff")),
            "{} is left running in {}",
            comm.trim(),
            dir.display()
        );
    }
}

/// Nothing was written in `dir` but the inputs: no output, no temporary
/// file, no socket.
fn assert_nothing_written(dir: &Path, inputs: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            inputs.contains(&name.as_str()),
            "{name} was left in {}",
            dir.display()
        );
    }
}

/// Users' colours, and the default placeholder colour (#303030).
const U1: u32 = 0xc83232;
const U2: u32 = 0x32b432;
const U3A: u32 = 0x3c3cc8;
const U3B: u32 = 0xc8c83c;
const PLACEHOLDER: u32 = 0x303030;

#[test]
fn frames_match_the_preview_with_the_sources_of_their_instant() {
    if !ffmpeg_here() {
        return;
    }
    let dir = common::scratch("record-frames");
    flat(&dir, "u1.mp4", "0xc83232", 6);
    flat(&dir, "u2.mp4", "0x32b432", 3);
    flat(&dir, "u3a.webm", "0x3c3cc8", 1);
    flat(&dir, "u3b.webm", "0xc8c83c", 2);
    meeting(
        &dir,
        r#"{"mix_param": {"room_id": "r", "encode_template": "320x180_30_600",
            "layout_template": "nine_grids_view"}, "layout_options": {"reconnect_grace_ms": 1000}}"#,
        r#"[{"type": "join", "user_id": "u1", "at": 0},
            {"type": "join", "user_id": "u3", "at": 500},
            {"type": "join", "user_id": "u2", "at": 1000},
            {"type": "video_off", "user_id": "u1", "at": 3000},
            {"type": "video_on", "user_id": "u1", "at": 3600},
            {"type": "leave", "user_id": "u2", "at": 5000}]"#,
        r#"{"sources": [
            {"user_id": "u1", "file": "u1.mp4", "start": 0},
            {"user_id": "u2", "file": "u2.mp4", "start": 1000},
            {"user_id": "u3", "stream": "camera", "file": "u3a.webm", "start": 500},
            {"user_id": "u3", "file": "u3b.webm", "start": 2500}]}"#,
    );
    let out = record(&dir, &["--no-labels", "-o", "out.mp4"]);
    assert_ok(&out);
    let video = frames(&dir.join("out.mp4"));
    // D is the end of u1's file and of u2's hold, 6000: frames 0..=180.
    assert_eq!(video.len(), 181);

    // Which file covers each user at an instant, and its colour (by hand,
    // from the media list): u3 is between files from 1500 to 2500, u2's
    // file ends at 4000 while u2 stays until 5000.
    let covered = |user: &str, t: u64| -> Option<u32> {
        match user {
            "u1" if t < 6000 => Some(U1),
            "u2" if (1000..4000).contains(&t) => Some(U2),
            "u3" if (500..1500).contains(&t) => Some(U3A),
            "u3" if (2500..4500).contains(&t) => Some(U3B),
            _ => None,
        }
    };
    // Frames inside every epoch and every stretch of coverage, and the last.
    for n in [7, 22, 37, 60, 82, 99, 114, 127, 142, 165, 180] {
        let t = instant(n);
        let sources = dir.join(format!("sources-{n}"));
        std::fs::create_dir_all(&sources).unwrap();
        for user in ["u1", "u2", "u3"] {
            if let Some(color) = covered(user, t) {
                RgbImage::from_pixel(320, 180, rgb(color))
                    .save(sources.join(format!("{user}.png")))
                    .unwrap();
            }
        }
        let preview = format!("preview-{n}.png");
        let at = t.to_string();
        let out = common::run_in(
            &dir,
            &[
                "preview",
                "--job",
                "job.json",
                "--events",
                "events.json",
                "--at",
                &at,
                "--sources",
                &format!("sources-{n}"),
                "--no-labels",
                "-o",
                &preview,
            ],
        );
        assert_ok(&out);
        let preview = image::open(dir.join(&preview)).unwrap().to_rgb8();
        let layout = layout_at(&dir, t);
        let tiles = layout["tiles"].as_array().unwrap();
        assert!(!tiles.is_empty());
        for tile in tiles {
            let (x, y) = centre(tile);
            let user = tile["user_id"].as_str().unwrap_or("");
            // A preview draws a stand-in for a missing picture, a
            // recording the audio-only look: the placeholder colour.
            let want = if tile["kind"] == "video" && covered(user, t).is_none() {
                rgb(PLACEHOLDER)
            } else {
                *preview.get_pixel(x, y)
            };
            let what = format!("frame {n} ({t} ms), {} tile of {user}", tile["kind"]);
            assert_near(*video[n as usize].get_pixel(x, y), want, &what);
        }
    }
}

#[test]
fn files_play_from_their_start_and_seek_where_a_tile_appears() {
    if !ffmpeg_here() {
        return;
    }
    let dir = common::scratch("record-seek");
    // Red for 2 s, then green; blue, then yellow.
    two_colours(&dir, "u1.mp4", "0xc83232", "0x32b432");
    two_colours(&dir, "u2.mp4", "0x3c3cc8", "0xc8c83c");
    meeting(
        &dir,
        r#"{"room_id": "r", "encode_template": "320x180_30_600", "layout_template": "nine_grids_view"}"#,
        // u1's camera is off from 500 until 2500: its decoder starts again
        // at file time 2.5 s. u2 joins late; its file starts when it joins.
        r#"[{"type": "join", "user_id": "u1", "at": 0},
            {"type": "video_off", "user_id": "u1", "at": 500},
            {"type": "join", "user_id": "u2", "at": 1000},
            {"type": "video_on", "user_id": "u1", "at": 2500}]"#,
        r#"{"sources": [{"user_id": "u1", "file": "u1.mp4", "start": 0},
                        {"user_id": "u2", "file": "u2.mp4", "start": 1000}]}"#,
    );
    let out = record(&dir, &["--no-labels", "-o", "out.mp4"]);
    assert_ok(&out);
    let video = frames(&dir.join("out.mp4"));
    // D: u2's file ends at 5000.
    assert_eq!(video.len(), 151);
    // Two tiles from 1000 on: u1 on the left half, u2 on the right.
    let (left, right) = ((80, 90), (240, 90));
    let check = |n: usize, at: (u32, u32), want: u32, what: &str| {
        assert_near(
            *video[n].get_pixel(at.0, at.1),
            rgb(want),
            &format!("frame {n}: {what}"),
        );
    };
    check(9, (160, 90), U1, "u1 alone, red");
    check(45, left, PLACEHOLDER, "u1's camera off");
    check(45, right, 0x3c3cc8, "u2 from the start of its file, blue");
    // u1's file is green from 2 s: at 2500 it shows green at once.
    check(76, left, U2, "u1 after its camera is back, green");
    // u2's file turns yellow at its 2 s, the room's 3000 (frame 90): one
    // frame of slack either side.
    check(88, right, 0x3c3cc8, "u2 before its change");
    check(92, right, 0xc8c83c, "u2 after its change");
    // u1's file ends at 4000: its tile is never frozen on its last frame.
    check(122, left, PLACEHOLDER, "u1 after its file ended");
    check(122, right, 0xc8c83c, "u2 still playing");
}

#[test]
fn a_beep_is_heard_where_its_file_places_it_and_the_length_follows_the_rule() {
    if !ffmpeg_here() {
        return;
    }
    let dir = common::scratch("record-sync");
    // A 1 kHz beep from 5.000 s to 5.200 s of an 8 s file.
    ffmpeg(
        &dir,
        &[
            "-f",
            "lavfi",
            "-i",
            "color=c=0x808080:s=160x90:r=30:d=8",
            "-f",
            "lavfi",
            "-i",
            "aevalsrc=if(between(t\\,5\\,5.2)\\,0.5*sin(2*PI*1000*t)\\,0):s=48000:d=8",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "beep.mp4",
        ],
    );
    meeting(
        &dir,
        r#"{"room_id": "r", "encode_template": "320x180_30_300", "layout_template": "nine_grids_view"}"#,
        r#"[{"type": "join", "user_id": "u1", "at": 0}]"#,
        r#"{"sources": [{"user_id": "u1", "file": "beep.mp4", "start": 2000}]}"#,
    );
    let out = record(&dir, &["-o", "out.mp4"]);
    assert_ok(&out);
    let file = dir.join("out.mp4");
    let samples = sound(&file);
    let onset = samples
        .iter()
        .position(|s| s.abs() > 0.1)
        .expect("the beep is heard");
    let onset_ms = onset as f64 * 1000.0 / 48000.0;
    assert!(
        (onset_ms - 7000.0).abs() <= 25.0,
        "the beep starts at {onset_ms} ms, not 7000"
    );
    let end = samples.iter().rposition(|s| s.abs() > 0.1).unwrap() as f64 * 1000.0 / 48000.0;
    assert!(
        (end - 7200.0).abs() <= 25.0,
        "the beep ends at {end} ms, not 7200"
    );

    // D is the end of the file, 10000: frames 0..=300, 10.033 s, and
    // sound as long.
    assert_eq!(
        probe(&file, "v:0", "nb_read_frames").as_deref(),
        Some("301")
    );
    let frame = 1.0 / FPS as f64;
    for stream in ["v:0", "a:0"] {
        let duration: f64 = probe(&file, stream, "duration").unwrap().parse().unwrap();
        assert!(
            (duration - 301.0 / 30.0).abs() <= frame,
            "{stream} lasts {duration} s"
        );
    }
    assert_eq!(probe(&file, "v:0", "color_space").as_deref(), Some("bt709"));
    assert_eq!(probe(&file, "v:0", "color_range").as_deref(), Some("tv"));
    assert_eq!(probe(&file, "a:0", "sample_rate").as_deref(), Some("48000"));
    assert_eq!(probe(&file, "a:0", "channels").as_deref(), Some("2"));
}

#[test]
fn many_voices_are_summed_without_normalisation() {
    if !ffmpeg_here() {
        return;
    }
    let dir = common::scratch("record-voices");
    // One file with a quiet 1 kHz tone (amplitude 0.02), played by 20 users
    // who land 50 ms apart (a whole number of periods, so the tones stay in
    // phase): more than play in separate decoders, so files share them.
    ffmpeg(
        &dir,
        &[
            "-f",
            "lavfi",
            "-i",
            "color=c=0x808080:s=64x36:r=30:d=3",
            "-f",
            "lavfi",
            "-i",
            "aevalsrc=0.02*sin(2*PI*1000*t):s=48000:d=3",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "192k",
            "tone.mp4",
        ],
    );
    let users = 20;
    let joins: Vec<String> = (0..users)
        .map(|i| format!(r#"{{"type": "join", "user_id": "u{i}", "at": 0}}"#))
        .collect();
    let files: Vec<String> = (0..users)
        .map(|i| {
            format!(
                r#"{{"user_id": "u{i}", "file": "tone.mp4", "start": {}}}"#,
                50 * i
            )
        })
        .collect();
    meeting(
        &dir,
        r#"{"room_id": "r", "encode_template": "320x180_15_300", "layout_template": "nine_grids_view"}"#,
        &format!("[{}]", joins.join(",")),
        &format!(r#"{{"sources": [{}]}}"#, files.join(",")),
    );
    assert_ok(&record(&dir, &["-o", "out.mp4"]));
    let samples = sound(&dir.join("out.mp4"));
    let rms = |from: f64, to: f64| {
        let part = &samples[(from * 48.0) as usize..(to * 48.0) as usize];
        (part.iter().map(|s| s * s).sum::<f32>() / part.len() as f32).sqrt()
    };
    // One tone alone, then all twenty: 0.02 and 0.4 in amplitude, their
    // RMS 0.0141 and 0.283, each side of the stereo at -3 dB (a mono file
    // reaches both): 0.0100 and 0.200.
    let alone = rms(10.0, 45.0);
    assert!((alone - 0.0100).abs() < 0.0015, "one voice: RMS {alone}");
    let all = rms(1200.0, 2800.0);
    assert!((all - 0.200).abs() < 0.01, "twenty voices: RMS {all}");
}

#[test]
fn until_cuts_the_recording_and_an_audio_only_job_records_sound_alone() {
    if !ffmpeg_here() {
        return;
    }
    let dir = solo("record-until", "320x180_15_300", 3);
    assert_ok(&record(&dir, &["--until", "1000", "-o", "out.mp4"]));
    // floor(1000 * 15 / 1000) + 1 frames.
    assert_eq!(
        probe(&dir.join("out.mp4"), "v:0", "nb_read_frames").as_deref(),
        Some("16")
    );

    std::fs::write(
        dir.join("job.json"),
        r#"{"room_id": "r", "encode_template": "audio_only"}"#,
    )
    .unwrap();
    assert_ok(&record(&dir, &["-o", "sound.mp4"]));
    let file = dir.join("sound.mp4");
    assert_eq!(probe(&file, "v", "codec_type"), None);
    assert_eq!(probe(&file, "a:0", "codec_name").as_deref(), Some("aac"));
    let duration: f64 = probe(&file, "a:0", "duration").unwrap().parse().unwrap();
    assert!(
        (duration - 3.0).abs() < 0.05,
        "the sound lasts {duration} s"
    );
}

#[test]
fn users_never_present_are_left_out_with_one_warning() {
    if !ffmpeg_here() {
        return;
    }
    let dir = solo("record-absent", "320x180_15_300", 1);
    // Their files are not even looked at, and do not make it longer.
    std::fs::write(
        dir.join("media.json"),
        r#"{"sources": [{"user_id": "u1", "file": "a.mp4", "start": 0},
                        {"user_id": "ghost", "file": "nowhere.mp4", "start": 0},
                        {"user_id": "ghost", "file": "a.mp4", "start": 60000},
                        {"user_id": "shade", "file": "a.mp4", "start": 0}]}"#,
    )
    .unwrap();
    let out = record(&dir, &["-o", "out.mp4"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("never present") && stderr.contains("ghost, shade"),
        "{stderr}"
    );
    assert_eq!(
        probe(&dir.join("out.mp4"), "v:0", "nb_read_frames").as_deref(),
        Some("16")
    );
}

#[test]
fn colours_follow_the_tags_and_pictures_turn_by_their_rotation() {
    if !ffmpeg_here() {
        return;
    }
    let dir = common::scratch("record-colours");
    let colour = |size: &str| format!("color=c=0xc83232:s={size}:r=30:d=1");
    let x264 = ["-c:v", "libx264", "-qp", "10"];
    // Full-range BT.601 (as JPEG webcams send), tagged BT.709, and an
    // untagged 720p source (taken as BT.709): each encoded with the
    // matrix and range its tags (or their absence) say.
    ffmpeg(
        &dir,
        &[
            "-f",
            "lavfi",
            "-i",
            &colour("320x180"),
            "-vf",
            "scale=out_color_matrix=bt601:out_range=pc,format=yuvj420p",
            "-color_range",
            "pc",
            "-colorspace",
            "smpte170m",
            "-c:v",
            "libx264",
            "-qp",
            "10",
            "full.mp4",
        ],
    );
    ffmpeg(
        &dir,
        &[
            "-f",
            "lavfi",
            "-i",
            &colour("320x180"),
            "-vf",
            "scale=out_color_matrix=bt709,format=yuv420p",
            "-colorspace",
            "bt709",
            "-c:v",
            "libx264",
            "-qp",
            "10",
            "tagged.mp4",
        ],
    );
    ffmpeg(
        &dir,
        &[
            "-f",
            "lavfi",
            "-i",
            &colour("1280x720"),
            "-vf",
            "scale=out_color_matrix=bt709,format=yuv420p",
            "-c:v",
            "libx264",
            "-qp",
            "10",
            "hd.mp4",
        ],
    );
    // Red on the left, green on the right, stored landscape and turned a
    // quarter by its tag: a portrait picture.
    let mut split = vec![
        "-filter_complex",
        "color=c=red:s=32x32:r=30:d=1[a];color=c=green:s=32x32:r=30:d=1[b];[a][b]hstack",
    ];
    split.extend_from_slice(&x264);
    split.push("flat.mp4");
    ffmpeg(&dir, &split);
    ffmpeg(
        &dir,
        &[
            "-i",
            "flat.mp4",
            "-c",
            "copy",
            "-metadata:s:v:0",
            "rotate=90",
            "turned.mp4",
        ],
    );
    meeting(
        &dir,
        r#"{"mix_param": {"room_id": "r", "encode_template": "320x180_30_600",
            "layout_template": "nine_grids_view"}, "layout_options": {"max_crop": 0}}"#,
        r#"[{"type": "join", "user_id": "full", "at": 0}, {"type": "join", "user_id": "tagged", "at": 0},
            {"type": "join", "user_id": "hd", "at": 0}, {"type": "join", "user_id": "turned", "at": 0}]"#,
        r#"{"sources": [{"user_id": "full", "file": "full.mp4", "start": 0},
            {"user_id": "tagged", "file": "tagged.mp4", "start": 0},
            {"user_id": "hd", "file": "hd.mp4", "start": 0},
            {"user_id": "turned", "file": "turned.mp4", "start": 0}]}"#,
    );
    assert_ok(&record(&dir, &["--no-labels", "-o", "out.mp4"]));
    let video = frames(&dir.join("out.mp4"));
    let layout = layout_at(&dir, 500);
    let frame = &video[15];
    for tile in layout["tiles"].as_array().unwrap() {
        let (x, y) = centre(tile);
        let user = tile["user_id"].as_str().unwrap();
        if user == "turned" {
            // Fitted whole into a 160x90 tile, a portrait picture is 45
            // pixels wide: the tile's sides show the black background, its
            // top and bottom the two colours.
            assert_near(
                *frame.get_pixel(x - 60, y),
                rgb(0x000000),
                "beside the turned picture",
            );
            let (top, bottom) = (*frame.get_pixel(x, y - 30), *frame.get_pixel(x, y + 30));
            let colours = [rgb(0xff0000), rgb(0x008000)];
            assert!(
                colours
                    .iter()
                    .any(|c| top.0.iter().zip(c.0).all(|(a, b)| a.abs_diff(b) <= 12)),
                "{top:?}"
            );
            assert!(
                colours
                    .iter()
                    .any(|c| bottom.0.iter().zip(c.0).all(|(a, b)| a.abs_diff(b) <= 12)),
                "{bottom:?}"
            );
            assert_ne!(top, bottom);
        } else {
            assert_near(*frame.get_pixel(x, y), rgb(0xc83232), user);
        }
    }
}

/// Runs `record` on a meeting that must fail: exit 2, one line holding
/// `says`, nothing written, no child left.
fn assert_fails(dir: &Path, media: &str, says: &[&str], inputs: &[&str]) {
    std::fs::write(dir.join("media.json"), media).unwrap();
    let out = record(dir, &["-o", "out.mp4"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for part in says {
        assert!(stderr.contains(part), "{stderr:?} does not say {part:?}");
    }
    assert_nothing_written(dir, inputs);
    assert_no_children(dir);
}

#[test]
fn bad_media_fail_with_one_line_and_leave_nothing_behind() {
    if !ffmpeg_here() {
        return;
    }
    let dir = common::scratch("record-errors");
    flat(&dir, "a.mp4", "0xc83232", 2);
    flat(&dir, "b.mp4", "0x32b432", 2);
    std::fs::write(dir.join("junk.mp4"), "this is not a video").unwrap();
    meeting(
        &dir,
        r#"{"room_id": "r", "encode_template": "320x180_15_300", "layout_template": "nine_grids_view"}"#,
        r#"[{"type": "join", "user_id": "u1", "at": 0}, {"type": "join", "user_id": "u2", "at": 0}]"#,
        "{}",
    );
    let inputs = [
        "a.mp4",
        "b.mp4",
        "junk.mp4",
        "job.json",
        "events.json",
        "media.json",
    ];
    assert_fails(
        &dir,
        r#"{"sources": [{"user_id": "u1", "file": "a.mp4", "start": 0}, {"user_id": "u2", "file": "gone.mp4", "start": 0}]}"#,
        &["gone.mp4", "No such file"],
        &inputs,
    );
    assert_fails(
        &dir,
        r#"{"sources": [{"user_id": "u1", "file": "junk.mp4", "start": 0}]}"#,
        &["junk.mp4", "Invalid data"],
        &inputs,
    );
    // b starts 1 s into a's 2 s.
    assert_fails(
        &dir,
        r#"{"sources": [{"user_id": "u1", "file": "a.mp4", "start": 0}, {"user_id": "u1", "file": "b.mp4", "start": 1000}]}"#,
        &["a.mp4 and", "b.mp4 overlap"],
        &inputs,
    );
    assert_fails(
        &dir,
        r#"{"sources": [{"user_id": "u1", "file": "a.mp4", "start": 0, "volume": 2}]}"#,
        &["media.json: sources[0].volume: unknown field"],
        &inputs,
    );
    assert_fails(
        &dir,
        r#"{"sources": [{"user_id": "u1", "file": "a.mp4", "start": -5}]}"#,
        &["media.json: sources[0].start: -5 is below 0"],
        &inputs,
    );
    // Back to back is no overlap.
    std::fs::write(
        dir.join("media.json"),
        r#"{"sources": [{"user_id": "u1", "file": "a.mp4", "start": 0}, {"user_id": "u1", "file": "b.mp4", "start": 2000}]}"#,
    )
    .unwrap();
    assert_ok(&record(&dir, &["-o", "out.mp4"]));
}

#[test]
fn a_missing_ffmpeg_or_a_failing_encoder_is_one_line() {
    if !ffmpeg_here() {
        return;
    }
    let dir = solo("record-programs", "320x180_15_300", 1);
    let out = record_command(&dir)
        .env("PATH", "/nonexistent")
        .args(["-o", "out.mp4"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr.trim(),
        "mixlayout: ffmpeg is not installed (or not on PATH): the recording needs it"
    );
    assert!(!dir.join("out.mp4").exists());

    // A folder that does not exist: the encoder cannot write, and says so.
    let out = record(&dir, &["-o", "missing/out.mp4"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("encoder of missing/out.mp4"), "{stderr}");
    assert_no_children(&dir);
}

#[test]
fn an_interrupted_recording_stops_its_children_and_writes_nothing() {
    if !ffmpeg_here() {
        return;
    }
    let dir = solo("record-interrupt", "320x180_30_300", 2);
    // An hour takes long enough to be interrupted.
    let child = record_command(&dir)
        .args(["--until", "3600000", "--quiet", "-o", "out.mp4"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim(), "mixlayout: interrupted");
    assert_nothing_written(&dir, &["a.mp4", "job.json", "events.json", "media.json"]);
    assert_no_children(&dir);
}
