//! Fuzz target: any bytes given to `wfmc merge` as a partial result are either a
//! verified partial or an error; nothing panics, aborts or allocates without bound.
//! The input is fed twice: as a whole file (frame and checksum checked), and as a
//! body wrapped in a valid frame, so the decoder behind the checksum is reached too.
//! Seeded from a real shard's partial (fuzz/seeds/partial/).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use wfmc::results::partial::{Expect, decode, decode_body};

fn expect() -> &'static Expect {
    static E: OnceLock<Expect> = OnceLock::new();
    E.get_or_init(|| Expect::of(&wfmc::Config::builtin()))
}

fuzz_target!(|data: &[u8]| {
    let _ = decode(data, expect());
    // Past the frame: a seed's body starts after the 16-byte magic and length.
    let body = data.get(16..data.len().saturating_sub(4)).unwrap_or(data);
    if let Ok((_, state)) = decode_body(body, expect()) {
        assert!(state.acc.sketches.iter().all(|s| s.count() <= state.acc.draws));
    }
});
