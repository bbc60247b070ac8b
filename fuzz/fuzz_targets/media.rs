//! Any bytes as a recording's media list: files or a typed error, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(media) = mixlayout::record::Media::from_json(data, std::path::Path::new("rec")) {
        assert!(media.files.len() <= mixlayout::limits::MAX_MEDIA_FILES);
        assert!(media.files.iter().all(|f| f.start <= mixlayout::limits::MAX_AT));
    }
});
