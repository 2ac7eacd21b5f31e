//! Baseline JPEG entropy coding: reading Huffman-coded coefficients out of a scan, and writing them back
//! with tables built for the joined image (ITU T.81 annexes C, F.2.2 and K.2).

use alloc::vec;
use alloc::vec::Vec;

use super::Corrupt;

/// Codes up to this many bits are found by one table lookup; longer ones by walking the code lengths.
const LOOKUP_BITS: u32 = 11;

/// A Huffman table as DHT carries it: how many codes of each length 1..=16, and the symbols in code order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub counts: [u8; 16],
    pub symbols: Vec<u8>,
}

/// A table for decoding.
#[derive(Debug, Clone)]
pub struct DecodeTable {
    /// By the next `LOOKUP_BITS` bits: `length << 8 | symbol`, or 0 when the code is longer.
    lookup: Vec<u16>,
    /// By the next `LOOKUP_BITS` bits, when an AC symbol's code and its magnitude bits both fit in them:
    /// `value << 16 | symbol << 8 | length of both`, or 0 (as stb_image's fast AC table).
    fast_ac: Vec<u32>,
    /// By the next `LOOKUP_BITS` bits, when an AC symbol's code and magnitude both fit in them: how many
    /// bits they take, and `advance << 8`, the places the symbol moves through the block (run + 1; 16 for
    /// ZRL; [`END_OF_BLOCK`] for EOB); 0 otherwise. What a walk that only skips blocks needs.
    skip_ac: Vec<u16>,
    /// Per length 1..=16: the largest code of that length (or -1), and the index of its first symbol
    /// minus its first code.
    max_code: [i32; 17],
    offset: [i32; 17],
    symbols: Vec<u8>,
}

impl DecodeTable {
    pub fn new(spec: &Spec) -> Result<DecodeTable, Corrupt> {
        let total: usize = spec.counts.iter().map(|&c| usize::from(c)).sum();
        if total != spec.symbols.len() || total > 256 {
            return Err(Corrupt("a Huffman table's counts do not match its symbols"));
        }
        let mut lookup = vec![0u16; 1 << LOOKUP_BITS];
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut code: u32 = 0;
        let mut index = 0usize;
        for length in 1..=16u32 {
            let count = u32::from(spec.counts[length as usize - 1]);
            if count > 0 {
                offset[length as usize] = index as i32 - code as i32;
                for _ in 0..count {
                    if length <= LOOKUP_BITS {
                        let shift = LOOKUP_BITS - length;
                        let first = (code << shift) as usize;
                        let entry = (length as u16) << 8 | u16::from(spec.symbols[index]);
                        let slots = lookup
                            .get_mut(first..first + (1 << shift))
                            .ok_or(Corrupt("a Huffman table with too many short codes"))?;
                        slots.fill(entry);
                    }
                    code += 1;
                    index += 1;
                }
                max_code[length as usize] = code as i32 - 1;
            }
            if code > 1 << length {
                return Err(Corrupt("a Huffman table with too many codes"));
            }
            code <<= 1;
        }
        let fast_ac = lookup
            .iter()
            .enumerate()
            .map(|(peek, &entry)| {
                let (length, symbol) = (u32::from(entry >> 8), entry as u8);
                let size = u32::from(symbol & 15);
                if entry == 0 || length + size > LOOKUP_BITS {
                    return 0;
                }
                let bits = (peek as u32 >> (LOOKUP_BITS - length - size)) & ((1 << size) - 1);
                let value = extend(bits as i32, size);
                (value as u16 as u32) << 16 | u32::from(symbol) << 8 | (length + size)
            })
            .collect();
        let skip_ac = lookup
            .iter()
            .map(|&entry| {
                let (length, symbol) = (entry >> 8, entry as u8);
                let (run, size) = (u16::from(symbol >> 4), u16::from(symbol & 15));
                let advance = match (run, size) {
                    (0, 0) => END_OF_BLOCK,
                    (15, 0) => 16,
                    (_, 0) => return 0,
                    _ => run + 1,
                };
                if entry == 0 || u32::from(length + size) > LOOKUP_BITS {
                    return 0;
                }
                advance << 8 | (length + size)
            })
            .collect();
        Ok(DecodeTable { lookup, fast_ac, skip_ac, max_code, offset, symbols: spec.symbols.clone() })
    }
}

/// The advance of EOB: past any place in a block.
const END_OF_BLOCK: u16 = 128;

/// Reads the bits of one scan: removes the stuffed zero after each 0xFF and stops at a marker, after which
/// it reads zeros (as libjpeg does) so that a truncated scan fails on its content, not on its length.
pub struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    /// The next bits, left-aligned.
    bits: u64,
    count: u32,
    at_marker: bool,
    /// Whether `data` is a scan as stored (0xFF bytes stuffed, ended by a marker) or its bits alone.
    stuffed: bool,
}

impl<'a> BitReader<'a> {
    pub fn new(data: &'a [u8]) -> BitReader<'a> {
        BitReader { data, pos: 0, bits: 0, count: 0, at_marker: false, stuffed: true }
    }

    /// A reader of bits with no stuffing and no markers (a scan after [`unstuff`]); past their end it
    /// reads zeros.
    pub fn plain(data: &'a [u8]) -> BitReader<'a> {
        BitReader { data, pos: 0, bits: 0, count: 0, at_marker: false, stuffed: false }
    }

    /// How many bits of a [`plain`](Self::plain) reader's data have been consumed (zeros read past its
    /// end included).
    pub fn position(&self) -> u64 {
        self.pos as u64 * 8 - u64::from(self.count)
    }

    #[inline(never)]
    fn fill(&mut self) {
        // Most of a scan has no 0xFF byte: take whole bytes eight at a time while that holds.
        if !self.at_marker
            && let Some(chunk) = self.data.get(self.pos..self.pos + 8)
        {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let word = u64::from_be_bytes(word);
            let inverted = !word;
            let has_ff = self.stuffed
                && inverted.wrapping_sub(0x0101_0101_0101_0101) & !inverted & 0x8080_8080_8080_8080 != 0;
            if !has_ff {
                let n = (64 - self.count) / 8;
                if n > 0 {
                    self.bits |= (word >> (64 - 8 * n)) << (64 - self.count - 8 * n);
                    self.pos += n as usize;
                    self.count += 8 * n;
                }
                return;
            }
        }
        while self.count <= 56 {
            let mut byte = 0u8;
            if !self.stuffed {
                byte = self.data.get(self.pos).copied().unwrap_or(0);
                self.pos += 1;
            } else if !self.at_marker {
                match self.data.get(self.pos..self.pos + 2) {
                    Some([0xFF, 0x00]) => {
                        byte = 0xFF;
                        self.pos += 2;
                    }
                    Some([0xFF, _]) => self.at_marker = true,
                    _ => match self.data.get(self.pos) {
                        Some(&b) if b != 0xFF => {
                            byte = b;
                            self.pos += 1;
                        }
                        _ => self.at_marker = true,
                    },
                }
            }
            self.bits |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    #[inline(always)]
    pub fn decode(&mut self, table: &DecodeTable) -> Result<u8, Corrupt> {
        if self.count < 32 {
            self.fill();
        }
        let peek = (self.bits >> (64 - LOOKUP_BITS)) as usize;
        let entry = table.lookup[peek];
        if entry != 0 {
            self.consume(u32::from(entry >> 8));
            return Ok(entry as u8);
        }
        self.decode_long(table)
    }

    /// An AC symbol and its magnitude: `(run << 4 | size, value)`.
    #[inline(always)]
    pub fn decode_ac(&mut self, table: &DecodeTable) -> Result<(u8, i32), Corrupt> {
        if self.count < 32 {
            self.fill();
        }
        let fast = table.fast_ac[(self.bits >> (64 - LOOKUP_BITS)) as usize];
        if fast != 0 {
            self.consume(fast & 0xFF);
            return Ok(((fast >> 8) as u8, i32::from((fast >> 16) as u16 as i16)));
        }
        let symbol = self.decode(table)?;
        Ok((symbol, self.receive_extend(symbol & 15)))
    }

    /// Reads past one block's AC codes.
    #[inline(always)]
    pub fn skip_ac(&mut self, table: &DecodeTable) -> Result<(), Corrupt> {
        let mut k = 1u32;
        // The bits in locals, so that the chain of lookups that each depend on the last stays in
        // registers.
        let (mut bits, mut count) = (self.bits, self.count);
        while k < 64 {
            if count < 32 {
                (self.bits, self.count) = (bits, count);
                self.fill();
                (bits, count) = (self.bits, self.count);
            }
            let skip = table.skip_ac[(bits >> (64 - LOOKUP_BITS)) as usize];
            if skip != 0 {
                let n = u32::from(skip & 0xFF);
                bits <<= n;
                count -= n;
                k += u32::from(skip >> 8);
                continue;
            }
            (self.bits, self.count) = (bits, count);
            let symbol = self.decode(table)?;
            let (run, size) = (u32::from(symbol >> 4), symbol & 15);
            self.receive_extend(size);
            (bits, count) = (self.bits, self.count);
            k += match (run, size) {
                (0, 0) => break,
                (15, 0) => 16,
                (_, 0) => return Err(Corrupt("an undefined AC symbol")),
                _ => run + 1,
            };
        }
        (self.bits, self.count) = (bits, count);
        // A run past the block's end ends it, as in libjpeg's decoder, whose block boundaries the walk
        // must follow.
        Ok(())
    }

    #[cold]
    fn decode_long(&mut self, table: &DecodeTable) -> Result<u8, Corrupt> {
        for length in LOOKUP_BITS + 1..=16 {
            let code = (self.bits >> (64 - length)) as i32;
            if code <= table.max_code[length as usize] {
                self.consume(length);
                let index = (code + table.offset[length as usize]) as usize;
                return table.symbols.get(index).copied().ok_or(Corrupt("a bad Huffman code"));
            }
        }
        Err(Corrupt("a bad Huffman code"))
    }

    #[inline]
    fn consume(&mut self, n: u32) {
        self.bits <<= n;
        self.count -= n;
    }

    /// `n` (≤ 16) raw bits, sign-extended as JPEG codes magnitudes (F.2.2.1, EXTEND).
    #[inline]
    pub fn receive_extend(&mut self, n: u8) -> i32 {
        if n == 0 {
            return 0;
        }
        if self.count < 16 {
            self.fill();
        }
        let n = u32::from(n);
        let value = (self.bits >> (64 - n)) as i32;
        self.consume(n);
        extend(value, n)
    }

    /// At a restart interval's end: drops the partial byte and steps over the RSTn marker.
    pub fn restart(&mut self) -> Result<(), Corrupt> {
        self.bits = 0;
        self.count = 0;
        // Bits read ahead of the marker were never consumed; find the marker from where reading stopped.
        while let Some(&b) = self.data.get(self.pos) {
            if b == 0xFF {
                match self.data.get(self.pos + 1) {
                    Some(0xFF) => self.pos += 1,
                    Some(0xD0..=0xD7) => {
                        self.pos += 2;
                        self.at_marker = false;
                        return Ok(());
                    }
                    _ => break,
                }
            } else {
                self.pos += 1;
            }
        }
        Err(Corrupt("a restart marker is missing"))
    }
}

/// `size` raw bits as the signed value they code (F.2.2.1, EXTEND).
#[inline]
fn extend(bits: i32, size: u32) -> i32 {
    if size == 0 {
        0
    } else if bits < 1 << (size - 1) {
        bits - (1 << size) + 1
    } else {
        bits
    }
}

/// A scan's entropy-coded bits without the zero stuffed after each 0xFF byte, up to the marker that ends
/// it.
pub fn unstuff(scan: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(scan.len());
    let mut rest = scan;
    while let Some(at) = rest.iter().position(|&b| b == 0xFF) {
        out.extend_from_slice(&rest[..=at]);
        if rest.get(at + 1) != Some(&0) {
            out.pop();
            return out;
        }
        rest = &rest[at + 2..];
    }
    out.extend_from_slice(rest);
    out
}

/// Symbol counts for one table, gathered before the tables are built.
#[derive(Debug, Clone)]
pub struct Frequencies(pub [u32; 256]);

impl Default for Frequencies {
    fn default() -> Self {
        Frequencies([0; 256])
    }
}

impl Frequencies {
    /// The optimal table of code lengths at most 16 for these counts (K.2, as libjpeg builds it), with
    /// the all-ones code left unused.
    pub fn optimal(&self) -> Spec {
        let mut counts: [u64; 256] = core::array::from_fn(|i| u64::from(self.0[i]));
        // A tree deeper than 32 (possible only with extremely skewed counts) is rebuilt from halved
        // counts, which keeps their order and shortens it.
        let code_size = loop {
            let sizes = tree_depths(&counts);
            if sizes.iter().all(|&s| s <= 32) {
                break sizes;
            }
            for c in counts.iter_mut().filter(|c| **c > 0) {
                *c = c.div_ceil(2);
            }
        };
        let mut bits = [0u32; 33];
        for &size in &code_size {
            if size > 0 {
                bits[size as usize] += 1;
            }
        }
        // Lengths over 16 are folded into shorter ones, keeping the code prefix-free (K.3).
        for i in (17..=32).rev() {
            while bits[i] > 0 {
                let mut j = i - 2;
                while j > 0 && bits[j] == 0 {
                    j -= 1;
                }
                bits[i] -= 2;
                bits[i - 1] += 1;
                bits[j + 1] += 2;
                bits[j] -= 1;
            }
        }
        // Drop the reserved symbol's code: the longest one.
        if let Some(i) = (1..=16).rev().find(|&i| bits[i] > 0) {
            bits[i] -= 1;
        }
        let mut counts = [0u8; 16];
        for (c, &b) in counts.iter_mut().zip(&bits[1..=16]) {
            *c = b as u8;
        }
        // Symbols in order of code length, then value; lengths come from the unfolded tree, which
        // orders them the same way the folded counts assign codes.
        let mut symbols = Vec::new();
        for size in 1..=32 {
            for (symbol, &s) in code_size.iter().enumerate().take(256) {
                if s == size {
                    symbols.push(symbol as u8);
                }
            }
        }
        Spec { counts, symbols }
    }
}

/// Each symbol's depth in the Huffman tree of `counts` plus one reserved symbol (index 256) of count 1,
/// so that no real code is all ones.
fn tree_depths(counts: &[u64; 256]) -> [u32; 257] {
    let mut freq = [0u64; 257];
    freq[..256].copy_from_slice(counts);
    freq[256] = 1;
    let mut code_size = [0u32; 257];
    let mut others = [usize::MAX; 257];
    while let Some(c1) = smallest(&freq, usize::MAX) {
        let Some(c2) = smallest(&freq, c1) else { break };
        freq[c1] += freq[c2];
        freq[c2] = 0;
        let mut c = c1;
        code_size[c] += 1;
        while others[c] != usize::MAX {
            c = others[c];
            code_size[c] += 1;
        }
        others[c] = c2;
        let mut c = c2;
        code_size[c] += 1;
        while others[c] != usize::MAX {
            c = others[c];
            code_size[c] += 1;
        }
    }
    code_size
}

/// The least non-zero frequency other than `skip`, the highest index on ties (libjpeg's choice).
fn smallest(freq: &[u64; 257], skip: usize) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &f) in freq.iter().enumerate() {
        if f > 0 && i != skip && best.is_none_or(|b| f <= freq[b]) {
            best = Some(i);
        }
    }
    best
}

/// A table for encoding: each symbol's code and length.
#[derive(Debug, Clone)]
pub struct EncodeTable {
    code: [u16; 256],
    size: [u8; 256],
}

impl EncodeTable {
    /// Whether the table has a code for `symbol`.
    pub fn codes(&self, symbol: u8) -> bool {
        self.size[usize::from(symbol)] != 0
    }

    pub fn new(spec: &Spec) -> EncodeTable {
        let mut table = EncodeTable { code: [0; 256], size: [0; 256] };
        let mut code: u16 = 0;
        let mut symbols = spec.symbols.iter();
        for (length, &count) in (1..=16u8).zip(spec.counts.iter()) {
            for _ in 0..count {
                if let Some(&s) = symbols.next() {
                    table.code[usize::from(s)] = code;
                    table.size[usize::from(s)] = length;
                }
                code = code.wrapping_add(1);
            }
            code = code.wrapping_shl(1);
        }
        table
    }
}

/// Writes entropy-coded bits, stuffing a zero after each 0xFF byte.
pub struct BitWriter {
    out: Vec<u8>,
    /// Pending bits, right-aligned; fewer than 32 between calls.
    bits: u64,
    count: u32,
}

impl BitWriter {
    /// Room for about `symbols` coded symbols.
    pub fn with_capacity(symbols: usize) -> BitWriter {
        BitWriter { out: Vec::with_capacity(symbols + symbols / 2), bits: 0, count: 0 }
    }

    fn put(&mut self, value: u64, size: u32) {
        self.bits = self.bits << size | value & ((1 << size) - 1);
        self.count += size;
        if self.count >= 32 {
            self.count -= 32;
            let word = ((self.bits >> self.count) as u32).to_be_bytes();
            if word.contains(&0xFF) {
                for byte in word {
                    self.out.push(byte);
                    if byte == 0xFF {
                        self.out.push(0);
                    }
                }
            } else {
                self.out.extend_from_slice(&word);
            }
        }
    }

    /// A symbol's code followed by the low bits of a magnitude (its size is the symbol's low nibble; 0
    /// writes none). Negative values are written as value − 1 (F.1.2.1).
    pub fn coded(&mut self, table: &EncodeTable, symbol: u8, value: i32) -> Result<(), Corrupt> {
        let length = u32::from(table.size[usize::from(symbol)]);
        if length == 0 {
            return Err(Corrupt("a symbol missing from the built table"));
        }
        let size = u32::from(symbol & 15);
        let magnitude = if value < 0 { value - 1 } else { value } as u32 as u64;
        let code = u64::from(table.code[usize::from(symbol)]);
        self.put(code << size | magnitude & ((1 << size) - 1), length + size);
        Ok(())
    }

    /// Bits `from..to` of `bits` (unstuffed, most significant bit first; zeros past their end) as they
    /// are.
    pub fn copy(&mut self, bits: &[u8], mut from: u64, to: u64) {
        while from < to {
            let n = (to - from).min(32) as u32;
            let at = (from / 8) as usize;
            let mut word = [0u8; 8];
            match bits.get(at..at + 8) {
                Some(chunk) => word.copy_from_slice(chunk),
                None => {
                    for (i, w) in word.iter_mut().enumerate() {
                        *w = bits.get(at + i).copied().unwrap_or(0);
                    }
                }
            }
            let aligned = u64::from_be_bytes(word) << (from % 8);
            self.put(aligned >> (64 - n), n);
            from += u64::from(n);
        }
    }

    /// Pads the last byte with ones and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let pad = (8 - self.count % 8) % 8;
        if pad > 0 {
            self.put((1 << pad) - 1, pad);
        }
        while self.count >= 8 {
            self.count -= 8;
            let byte = (self.bits >> self.count) as u8;
            self.out.push(byte);
            if byte == 0xFF {
                self.out.push(0);
            }
        }
        self.out
    }
}

/// The number of bits of `|value|` (the JPEG magnitude category).
pub fn category(value: i32) -> u8 {
    (32 - value.unsigned_abs().leading_zeros()) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimal_tables_are_prefix_free_within_16_bits_and_round_trip() {
        // Skewed counts that would need codes longer than 16 bits without folding.
        let mut f = Frequencies::default();
        let mut n = 1u32;
        for s in 0..40usize {
            f.0[s] = n;
            n = n.saturating_mul(2).min(1 << 30);
        }
        f.0[200] = 7;
        let spec = f.optimal();
        assert!(spec.counts.iter().map(|&c| usize::from(c)).sum::<usize>() == spec.symbols.len());
        assert_eq!(spec.symbols.len(), 41);
        let encode = EncodeTable::new(&spec);
        let decode = DecodeTable::new(&spec).expect("a valid table");
        let mut w = BitWriter::with_capacity(64);
        // Symbols whose low nibble is a magnitude's size, each with a value of that size.
        let message: Vec<(u8, i32)> = (0..40u8)
            .chain([200, 0, 39, 5])
            .map(|s| {
                (
                    s,
                    match s & 15 {
                        0 => 0,
                        n => -(1 << (n - 1)) - 1 + i32::from(n % 2),
                    },
                )
            })
            .collect();
        for &(s, v) in &message {
            w.coded(&encode, s, v).expect("in the table");
        }
        let data = w.finish();
        let mut r = BitReader::new(&data);
        for &(s, v) in &message {
            assert_eq!(r.decode(&decode).expect("decodes"), s);
            let size = s & 15;
            assert_eq!(r.receive_extend(size), if size == 0 { 0 } else { v }, "symbol {s}");
        }
    }

    #[test]
    fn a_table_claiming_more_codes_than_fit_is_refused() {
        let spec = Spec { counts: [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], symbols: vec![1, 2, 3] };
        assert!(DecodeTable::new(&spec).is_err());
    }
}
