//! CRC-32 (ISO 3309, the polynomial of PNG chunks and gzip), table-driven: the PNG encoder runs it
//! over every compressed byte it writes, the PNG probe over IHDR.

/// The CRC over the concatenation of `parts` (a PNG chunk's type and data, without copying them together).
pub(crate) fn crc32(parts: &[&[u8]]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    let mut c = 0xFFFF_FFFFu32;
    for part in parts {
        for &byte in *part {
            c = TABLE[((c ^ u32::from(byte)) & 0xFF) as usize] ^ (c >> 8);
        }
    }
    c ^ 0xFFFF_FFFF
}
