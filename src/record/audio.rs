//! The recording's sound: every file's audio, decoded by `ffmpeg` into
//! 48 kHz stereo floats from the moment it lands, summed without
//! normalisation and clipped at full scale.
//!
//! Each `ffmpeg` process costs about 12 MB however little it does, so the
//! files are decoded in runs: consecutive files (by start) share one
//! process that mixes them (`adelay` to its place, `amix` without
//! normalisation), the runs as long as it takes for at most
//! [`MAX_DECODERS`] or so to play at once. A meeting where few files
//! overlap decodes each file in its own process, started when it lands.

use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::process::ChildStdout;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, MediaError};
use crate::record::probe::Probed;
use crate::record::process::{Process, command, pipe_broke, url};

/// Samples per second of the recording's audio.
pub(crate) const RATE: u64 = 48_000;
/// Stereo.
const CHANNELS: usize = 2;
/// Sample frames mixed at a time.
const CHUNK: usize = 1024;
/// How many audio decoders may play at once, about.
pub(crate) const MAX_DECODERS: usize = 16;

/// The audio of a run of files being decoded.
struct Voice {
    /// Where its first sample lands on the recording (sample frames).
    lands: u64,
    pipe: BufReader<ChildStdout>,
    process: Process,
    bytes: Vec<u8>,
}

/// Mixes the audio of those of `files` that have sound, each from where it
/// lands, for `frames` sample frames into `out`, as f32 little-endian
/// stereo, telling `done` how many are written after each block. Stops
/// early, with [`MediaError::Interrupted`], once `stop` is set.
pub(crate) fn mix(
    ffmpeg: &Path,
    files: &[&Probed],
    frames: u64,
    out: &mut impl Write,
    stop: &AtomicBool,
    done: &mut dyn FnMut(u64),
) -> Result<(), Error> {
    let mut sounding: Vec<&Probed> = files.iter().copied().filter(|f| f.audio).collect();
    sounding.sort_by_key(|f| f.source.start);
    let spans: Vec<(u64, u64)> = sounding
        .iter()
        .map(|f| (u64::from(f.source.start), f.length_us.div_ceil(1000)))
        .collect();
    let mut waiting = sounding.chunks(run_length(&spans)).peekable();
    let mut voices: Vec<Voice> = Vec::new();
    let mut sum = vec![0f32; CHUNK * CHANNELS];
    let mut bytes = Vec::with_capacity(CHUNK * CHANNELS * 4);
    let mut at = 0u64;
    while at < frames {
        if stop.load(Ordering::Relaxed) {
            return Err(MediaError::Interrupted.into());
        }
        let len = (frames - at).min(CHUNK as u64) as usize;
        while let Some(run) =
            waiting.next_if(|r| u64::from(r[0].source.start) * RATE / 1000 < at + len as u64)
        {
            voices.push(Voice::start(ffmpeg, run)?);
        }
        sum[..len * CHANNELS].fill(0.0);
        let mut ended = Vec::new();
        for (i, voice) in voices.iter_mut().enumerate() {
            let skip = voice.lands.saturating_sub(at) as usize;
            if !voice.add(&mut sum[skip * CHANNELS..len * CHANNELS]) {
                ended.push(i);
            }
        }
        for i in ended.into_iter().rev() {
            voices.swap_remove(i).process.finish()?;
        }
        bytes.clear();
        for sample in &sum[..len * CHANNELS] {
            bytes.extend_from_slice(&sample.clamp(-1.0, 1.0).to_le_bytes());
        }
        out.write_all(&bytes).map_err(pipe_broke)?;
        at += len as u64;
        done(at);
    }
    Ok(())
}

/// How many consecutive files one process decodes, for files (by start)
/// that sound over `spans` (start and length, ms): the most that overlap at
/// one instant over [`MAX_DECODERS`], rounded up, so that about that many
/// processes play at once.
fn run_length(spans: &[(u64, u64)]) -> usize {
    let mut edges: Vec<(u64, i64)> = spans
        .iter()
        .flat_map(|&(start, length)| [(start, 1), (start + length.max(1), -1)])
        .collect();
    // Ends before starts at one instant: back to back is no overlap.
    edges.sort_unstable();
    let (mut now, mut most) = (0i64, 0i64);
    for (_, step) in edges {
        now += step;
        most = most.max(now);
    }
    (most as usize).div_ceil(MAX_DECODERS).max(1)
}

impl Voice {
    /// Starts decoding the first audio stream of each file of `run` (by
    /// start) from its beginning, mixed, from the first file's start. A
    /// file's time 0 is its earliest presentation time, where its video
    /// starts too: `aresample`'s `first_pts=0` pads with silence up to its
    /// first sample and keeps it in step with its timestamps.
    fn start(ffmpeg: &Path, run: &[&Probed]) -> Result<Voice, MediaError> {
        let first = run[0].source.start;
        let mut command = command(ffmpeg);
        let mut graph = String::new();
        for (i, file) in run.iter().enumerate() {
            command
                .args(["-threads", "1", "-i"])
                .arg(url(&file.source.file));
            let delay = u64::from(file.source.start - first) * RATE / 1000;
            graph += &format!(
                "[{i}:a:0]aresample={RATE}:async=1:first_pts=0,\
                 aformat=sample_fmts=flt:sample_rates={RATE}:channel_layouts=stereo,\
                 adelay={delay}S:all=1[a{i}];"
            );
        }
        for i in 0..run.len() {
            graph += &format!("[a{i}]");
        }
        graph += &format!(
            "amix=inputs={}:normalize=0:duration=longest,aformat=sample_fmts=flt[mix]",
            run.len()
        );
        command
            .args(["-filter_complex", &graph, "-map", "[mix]"])
            .args(["-f", "f32le", "pipe:1"]);
        // A run's errors name its first file.
        let path = &run[0].source.file;
        let mut process = Process::spawn(&mut command, false, "audio decoder", path)?;
        let pipe = process.stdout().ok_or_else(|| MediaError::Failed {
            role: "audio decoder",
            file: path.clone(),
            message: "no output".into(),
        })?;
        Ok(Voice {
            lands: u64::from(first) * RATE / 1000,
            pipe: BufReader::with_capacity(1 << 16, pipe),
            process,
            bytes: Vec::new(),
        })
    }

    /// Adds the voice's next samples to `sum`; false once it has run out.
    fn add(&mut self, sum: &mut [f32]) -> bool {
        self.bytes.resize(sum.len() * 4, 0);
        let mut got = 0;
        while got < self.bytes.len() {
            match self.pipe.read(&mut self.bytes[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        for (s, b) in sum.iter_mut().zip(self.bytes[..got].chunks_exact(4)) {
            *s += f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        got == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_keep_about_max_decoders_playing() {
        // Files one after another: one process each.
        let apart: Vec<(u64, u64)> = (0..1000).map(|i| (i * 1000, 1000)).collect();
        assert_eq!(run_length(&apart), 1);
        // 16 at once still one each; 17 or 32 at once, two a process; 200
        // at once, 13.
        let together = |n: u64| (0..n).map(|i| (i, 60_000)).collect::<Vec<_>>();
        assert_eq!(run_length(&together(16)), 1);
        assert_eq!(run_length(&together(17)), 2);
        assert_eq!(run_length(&together(32)), 2);
        assert_eq!(run_length(&together(200)), 13);
        assert_eq!(run_length(&[]), 1);
    }
}
