//! The recording's sound: every file's audio, decoded by its own `ffmpeg`
//! into 48 kHz stereo floats from the moment it lands, summed without
//! normalisation and clipped at full scale.

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

/// A file's audio being decoded.
struct Voice {
    /// Where its first sample lands on the recording (sample frames).
    lands: u64,
    pipe: BufReader<ChildStdout>,
    process: Process,
    bytes: Vec<u8>,
}

/// Mixes the audio of `files` (in the order they land) for `frames` sample
/// frames into `out`, as f32 little-endian stereo, telling `done` how many
/// are written after each block. Stops early, with
/// [`MediaError::Interrupted`], once `stop` is set.
pub(crate) fn mix(
    ffmpeg: &Path,
    files: &[&Probed],
    frames: u64,
    out: &mut impl Write,
    stop: &AtomicBool,
    done: &mut dyn FnMut(u64),
) -> Result<(), Error> {
    let mut waiting = files.iter().filter(|f| f.audio).peekable();
    let mut voices: Vec<Voice> = Vec::new();
    let mut sum = vec![0f32; CHUNK * CHANNELS];
    let mut bytes = Vec::with_capacity(CHUNK * CHANNELS * 4);
    let mut at = 0u64;
    while at < frames {
        if stop.load(Ordering::Relaxed) {
            return Err(MediaError::Interrupted.into());
        }
        let len = (frames - at).min(CHUNK as u64) as usize;
        while let Some(file) =
            waiting.next_if(|f| u64::from(f.source.start) * RATE / 1000 < at + len as u64)
        {
            voices.push(Voice::start(ffmpeg, file)?);
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

impl Voice {
    /// Starts decoding `file`'s first audio stream from its beginning. Its
    /// time 0 is the file's earliest presentation time, where its video
    /// starts too: `aresample`'s `first_pts=0` pads with silence up to
    /// its first sample and keeps it in step with its timestamps.
    fn start(ffmpeg: &Path, file: &Probed) -> Result<Voice, MediaError> {
        let path = &file.source.file;
        let mut command = command(ffmpeg);
        command
            .arg("-i")
            .arg(url(path))
            .args(["-map", "0:a:0", "-vn", "-sn", "-dn", "-af"])
            .arg(format!(
                "aresample={RATE}:async=1:first_pts=0,\
                 aformat=sample_fmts=flt:sample_rates={RATE}:channel_layouts=stereo"
            ))
            .args(["-f", "f32le", "pipe:1"]);
        let mut process = Process::spawn(&mut command, false, "audio decoder", path)?;
        let pipe = process.stdout().ok_or_else(|| MediaError::Failed {
            role: "audio decoder",
            file: path.clone(),
            message: "no output".into(),
        })?;
        Ok(Voice {
            lands: u64::from(file.source.start) * RATE / 1000,
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
