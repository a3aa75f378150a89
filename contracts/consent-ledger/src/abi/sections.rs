//! Decoding of the `db_next` result (host-independent, so it is unit-tested on the host).

use crate::storage::Record;

/// Splits `key ‖ keylen ‖ value ‖ valuelen` (lengths u32 big-endian), parsing from the end.
/// `None` when the key is empty, which is how the VM says the iterator is exhausted.
pub fn split_kv(mut kv: Vec<u8>) -> Option<Record> {
    fn take_len(buf: &mut Vec<u8>) -> usize {
        assert!(buf.len() >= 4, "db_next: truncated section");
        let at = buf.len() - 4;
        let n = u32::from_be_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]) as usize;
        buf.truncate(at);
        assert!(n <= buf.len(), "db_next: section length out of range");
        n
    }
    let vlen = take_len(&mut kv);
    let value = kv.split_off(kv.len() - vlen);
    let klen = take_len(&mut kv);
    let key = kv.split_off(kv.len() - klen);
    if key.is_empty() {
        None
    } else {
        Some((key, value))
    }
}

#[cfg(test)]
mod tests {
    use super::split_kv;

    #[test]
    fn splits_key_and_value() {
        let kv = [&b"key"[..], &3u32.to_be_bytes(), b"value!", &6u32.to_be_bytes()].concat();
        assert_eq!(split_kv(kv), Some((b"key".to_vec(), b"value!".to_vec())));
    }

    #[test]
    fn empty_key_means_exhausted() {
        assert_eq!(split_kv(vec![0; 8]), None);
    }

    #[test]
    #[should_panic(expected = "out of range")]
    fn rejects_bad_lengths() {
        split_kv([&b"k"[..], &9u32.to_be_bytes(), &0u32.to_be_bytes()].concat());
    }
}
