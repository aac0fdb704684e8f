//! A quick hash for small keys (numbers, dates, codes) in maps an import fills once per row,
//! where the standard library's SipHash, built to resist keys chosen by an attacker, cost more
//! than the work the map saves. Keys here come from checked fields, never raw text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with `QuickHasher`.
pub type QuickMap<K, V> = HashMap<K, V, BuildHasherDefault<QuickHasher>>;

/// Each value written is folded in by one 64-bit multiplication whose high half is mixed back
/// into the low, so every bit of the key reaches the bits a hash table indexes by.
#[derive(Debug, Default, Clone, Copy)]
pub struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(n.into());
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(n.into());
    }

    fn write_i32(&mut self, n: i32) {
        self.write_u64(n as u32 as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        let m = u128::from(self.0.rotate_left(5) ^ n) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash>(t: &T) -> u64 {
        BuildHasherDefault::<QuickHasher>::default().hash_one(t)
    }

    #[test]
    fn near_keys_spread_over_the_low_bits() {
        // Consecutive keys must not share their low bits (the table's bucket index).
        let buckets: std::collections::HashSet<u64> =
            (0u32..1024).map(|k| hash(&k) & 1023).collect();
        assert!(buckets.len() > 600, "{}", buckets.len());
        assert_ne!(hash(&(1u32, 2u8)), hash(&(2u32, 1u8)));
        assert_ne!(hash(&"ab"), hash(&"ba"));
    }

    #[test]
    fn a_map_keeps_every_key() {
        let mut m: QuickMap<u32, usize> = QuickMap::default();
        for k in 0..10_000u32 {
            m.insert(k * 7, k as usize);
        }
        assert_eq!(m.len(), 10_000);
        assert!((0..10_000u32).all(|k| m[&(k * 7)] == k as usize));
    }
}
