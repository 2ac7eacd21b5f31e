use crate::EncodingError;
use crate::encoder::{AlignedBlock, Component};
use crate::huffman::{CodingClass, HuffmanTable};
use crate::marker::{Marker, SOFType};
use crate::quantization::QuantizationTable;

/// Represents the pixel density of an image
///
/// For example, a 300 DPI image is represented by:
///
/// ```rust
/// # use jpeg_encoder::{PixelDensity, PixelDensityUnit};
/// let hdpi = PixelDensity::dpi(300);
/// assert_eq!(hdpi, PixelDensity {density: (300,300), unit: PixelDensityUnit::Inches})
/// ```
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct PixelDensity {
    /// A couple of values for (Xdensity, Ydensity)
    pub density: (u16, u16),
    /// The unit in which the density is measured
    pub unit: PixelDensityUnit,
}

impl PixelDensity {
    /// Creates the most common pixel density type:
    /// the horizontal and the vertical density are equal,
    /// and measured in pixels per inch.
    #[must_use]
    pub fn dpi(density: u16) -> Self {
        PixelDensity {
            density: (density, density),
            unit: PixelDensityUnit::Inches,
        }
    }
}

impl Default for PixelDensity {
    /// Returns a pixel density with a pixel aspect ratio of 1
    fn default() -> Self {
        PixelDensity {
            density: (1, 1),
            unit: PixelDensityUnit::PixelAspectRatio,
        }
    }
}

/// Represents a unit in which the density of an image is measured
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum PixelDensityUnit {
    /// Represents the absence of a unit, the values indicate only a
    /// [pixel aspect ratio](https://en.wikipedia.org/wiki/Pixel_aspect_ratio)
    PixelAspectRatio,

    /// Pixels per inch (2.54 cm)
    Inches,

    /// Pixels per centimeter
    Centimeters,
}

/// Zig-zag sequence of quantized DCT coefficients
///
/// Figure A.6
pub static ZIGZAG: [u8; 64] = ZIGZAG_ORDER;

const ZIGZAG_ORDER: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// Tessella (vendored copy): `ZIGZAG_BITS[k][n]` is the zigzag-order mask of the coefficients at natural
/// indices `4k..4k + 4` whose bits are set in nibble `n`, so a block's non-zero mask can be taken in
/// natural order (straight from memory) and turned into zigzag order with 16 lookups in a 2 KB table.
static ZIGZAG_BITS: [[u64; 16]; 16] = zigzag_bits();

const fn zigzag_bits() -> [[u64; 16]; 16] {
    let mut position = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        position[ZIGZAG_ORDER[i] as usize] = i as u8;
        i += 1;
    }
    let mut table = [[0u64; 16]; 16];
    let mut k = 0;
    while k < 16 {
        let mut nibble = 0;
        while nibble < 16 {
            let mut bit = 0;
            while bit < 4 {
                if nibble & (1 << bit) != 0 {
                    table[k][nibble] |= 1u64 << position[4 * k + bit];
                }
                bit += 1;
            }
            nibble += 1;
        }
        k += 1;
    }
    table
}

/// The zigzag-order mask of a natural-order mask.
#[inline(always)]
fn zigzag_mask(natural: u64) -> u64 {
    let mut zigzag = 0;
    for (k, bits) in ZIGZAG_BITS.iter().enumerate() {
        zigzag |= bits[((natural >> (4 * k)) & 0xF) as usize];
    }
    zigzag
}

const BUFFER_SIZE: usize = core::mem::size_of::<usize>() * 8;

/// A no_std alternative for `std::io::Write`
///
/// An implementation of a subset of `std::io::Write` necessary to use the encoder without `std`.
/// This trait is implemented for `std::io::Write` if the `std` feature is enabled.
pub trait JfifWrite {
    /// Writes the whole buffer. The behavior must be identical to std::io::Write::write_all
    /// # Errors
    ///
    /// Return an error if the data can't be written
    fn write_all(&mut self, buf: &[u8]) -> Result<(), EncodingError>;
}

#[cfg(not(feature = "std"))]
impl<W: JfifWrite + ?Sized> JfifWrite for &mut W {
    fn write_all(&mut self, buf: &[u8]) -> Result<(), EncodingError> {
        (**self).write_all(buf)
    }
}

#[cfg(not(feature = "std"))]
impl JfifWrite for alloc::vec::Vec<u8> {
    fn write_all(&mut self, buf: &[u8]) -> Result<(), EncodingError> {
        self.extend_from_slice(buf);
        Ok(())
    }
}

#[cfg(feature = "std")]
impl<W: std::io::Write + ?Sized> JfifWrite for W {
    #[inline(always)]
    fn write_all(&mut self, buf: &[u8]) -> Result<(), EncodingError> {
        self.write_all(buf)?;
        Ok(())
    }
}

pub(crate) struct JfifWriter<W: JfifWrite> {
    w: W,
    bit_buffer: usize,
    free_bits: i8,
}

impl<W: JfifWrite> JfifWriter<W> {
    pub fn new(w: W) -> Self {
        JfifWriter {
            w,
            bit_buffer: 0,
            free_bits: BUFFER_SIZE as i8,
        }
    }

    #[inline(always)]
    pub fn write(&mut self, buf: &[u8]) -> Result<(), EncodingError> {
        self.w.write_all(buf)
    }

    #[inline(always)]
    pub fn write_u8(&mut self, value: u8) -> Result<(), EncodingError> {
        self.w.write_all(&[value])
    }

    #[inline(always)]
    pub fn write_u16(&mut self, value: u16) -> Result<(), EncodingError> {
        self.w.write_all(&value.to_be_bytes())
    }

    pub fn finalize_bit_buffer(&mut self) -> Result<(), EncodingError> {
        self.write_bits(0x7F, 7)?;
        self.flush_bit_buffer()?;
        self.bit_buffer = 0;
        self.free_bits = BUFFER_SIZE as i8;

        Ok(())
    }

    pub fn flush_bit_buffer(&mut self) -> Result<(), EncodingError> {
        while self.free_bits <= (BUFFER_SIZE as i8 - 8) {
            self.flush_byte_from_bit_buffer(self.free_bits)?;
            self.free_bits += 8;
        }

        Ok(())
    }

    #[inline(always)]
    fn flush_byte_from_bit_buffer(&mut self, free_bits: i8) -> Result<(), EncodingError> {
        let value = (self.bit_buffer >> (BUFFER_SIZE as i8 - 8 - free_bits)) & 0xFF;

        self.write_u8(value as u8)?;

        if value == 0xFF {
            self.write_u8(0x00)?;
        }

        Ok(())
    }

    #[inline(always)]
    #[allow(overflowing_literals)]
    fn write_bit_buffer(&mut self) -> Result<(), EncodingError> {
        if (self.bit_buffer
            & 0x8080808080808080
            & !(self.bit_buffer.wrapping_add(0x0101010101010101)))
            != 0
        {
            for i in 0..(BUFFER_SIZE / 8) {
                self.flush_byte_from_bit_buffer((i * 8) as i8)?;
            }
            Ok(())
        } else {
            self.w.write_all(&self.bit_buffer.to_be_bytes())
        }
    }

    // Tessella (vendored copy): the common case (the bits fit in the buffer) inlined into the block
    // coder, the spill out of line; upstream called this whole function for every symbol.
    #[inline(always)]
    pub fn write_bits(&mut self, value: u32, size: u8) -> Result<(), EncodingError> {
        let size = size as i8;
        let value = value as usize;

        let free_bits = self.free_bits - size;

        if free_bits < 0 {
            self.spill_bits(value, size, free_bits)
        } else {
            self.free_bits = free_bits;
            self.bit_buffer = (self.bit_buffer << size) | value;
            Ok(())
        }
    }

    #[inline(never)]
    fn spill_bits(&mut self, value: usize, size: i8, free_bits: i8) -> Result<(), EncodingError> {
        self.bit_buffer = (self.bit_buffer << (size + free_bits)) | (value >> -free_bits);
        self.write_bit_buffer()?;
        self.bit_buffer = value;
        self.free_bits = free_bits + BUFFER_SIZE as i8;
        Ok(())
    }

    pub fn write_marker(&mut self, marker: Marker) -> Result<(), EncodingError> {
        self.write(&[0xFF, marker.into()])
    }

    pub fn write_segment(&mut self, marker: Marker, data: &[u8]) -> Result<(), EncodingError> {
        self.write_marker(marker)?;
        self.write_u16(data.len() as u16 + 2)?;
        self.write(data)?;

        Ok(())
    }

    pub fn write_header(&mut self, density: &PixelDensity) -> Result<(), EncodingError> {
        self.write_marker(Marker::APP(0))?;
        self.write_u16(16)?;

        self.write(b"JFIF\0")?;
        self.write(&[0x01, 0x02])?;

        match density.unit {
            PixelDensityUnit::PixelAspectRatio => {
                self.write_u8(0x00)?;
            }
            PixelDensityUnit::Inches => {
                self.write_u8(0x01)?;
            }
            PixelDensityUnit::Centimeters => {
                self.write_u8(0x02)?;
            }
        }
        let (x, y) = density.density;
        self.write_u16(x)?;
        self.write_u16(y)?;

        self.write(&[0x00, 0x00])
    }

    /// Append huffman table segment
    ///
    /// - `class`: 0 for DC or 1 for AC
    /// - `dest`: 0 for luma or 1 for chroma tables
    ///
    /// Layout:
    /// ```txt
    /// |--------|---------------|--------------------------|--------------------|--------|
    /// | 0xFFC4 | 16 bit length | 4 bit class / 4 bit dest |  16 byte num codes | values |
    /// |--------|---------------|--------------------------|--------------------|--------|
    /// ```
    ///
    pub fn write_huffman_segment(
        &mut self,
        class: CodingClass,
        destination: u8,
        table: &HuffmanTable,
    ) -> Result<(), EncodingError> {
        assert!(destination < 4, "Bad destination: {}", destination);

        self.write_marker(Marker::DHT)?;
        self.write_u16(2 + 1 + 16 + table.values().len() as u16)?;

        self.write_u8(((class as u8) << 4) | destination)?;
        self.write(table.length())?;
        self.write(table.values())?;

        Ok(())
    }

    /// Append a quantization table
    ///
    /// - `precision`: 0 which means 1 byte per value.
    /// - `dest`: 0 for luma or 1 for chroma tables
    ///
    /// Layout:
    /// ```txt
    /// |--------|---------------|------------------------------|--------|--------|-----|--------|
    /// | 0xFFDB | 16 bit length | 4 bit precision / 4 bit dest | V(0,0) | V(0,1) | ... | V(7,7) |
    /// |--------|---------------|------------------------------|--------|--------|-----|--------|
    /// ```
    ///
    pub fn write_quantization_segment(
        &mut self,
        destination: u8,
        table: &QuantizationTable,
    ) -> Result<(), EncodingError> {
        assert!(destination < 4, "Bad destination: {}", destination);

        self.write_marker(Marker::DQT)?;
        self.write_u16(2 + 1 + 64)?;

        self.write_u8(destination)?;

        for &v in ZIGZAG.iter() {
            self.write_u8(table.get(v as usize))?;
        }

        Ok(())
    }

    pub fn write_dri(&mut self, restart_interval: u16) -> Result<(), EncodingError> {
        self.write_marker(Marker::DRI)?;
        self.write_u16(4)?;
        self.write_u16(restart_interval)
    }

    #[inline(always)]
    pub fn huffman_encode(&mut self, val: u8, table: &HuffmanTable) -> Result<(), EncodingError> {
        let &(size, code) = table.get_for_value(val);
        self.write_bits(code as u32, size)
    }

    #[inline(always)]
    pub fn huffman_encode_value(
        &mut self,
        size: u8,
        symbol: u8,
        value: u16,
        table: &HuffmanTable,
    ) -> Result<(), EncodingError> {
        let &(num_bits, code) = table.get_for_value(symbol);

        let mut temp = value as u32;
        temp |= (code as u32) << size;
        let size = size + num_bits;

        self.write_bits(temp, size)
    }

    pub fn write_block(
        &mut self,
        block: &AlignedBlock,
        prev_dc: i16,
        dc_table: &HuffmanTable,
        ac_table: &HuffmanTable,
    ) -> Result<(), EncodingError> {
        self.write_dc(block.data[0], prev_dc, dc_table)?;
        self.write_ac_block(block, 1, 64, ac_table)
    }

    pub fn write_dc(
        &mut self,
        value: i16,
        prev_dc: i16,
        dc_table: &HuffmanTable,
    ) -> Result<(), EncodingError> {
        let diff = value - prev_dc;
        let (size, value) = get_code(diff);

        self.huffman_encode_value(size, size, value, dc_table)?;

        Ok(())
    }

    pub fn write_ac_block(
        &mut self,
        block: &AlignedBlock,
        start: usize,
        end: usize,
        ac_table: &HuffmanTable,
    ) -> Result<(), EncodingError> {
        // Tessella (vendored copy): visit only the non-zero coefficients, found from a bit mask, instead
        // of branching on each of the 63: after quantisation most are zero, and the branch on each one
        // mispredicted. The same symbols in the same order (libjpeg-turbo's Huffman encoder does this).
        debug_assert!(start < end && end <= 64, "spectral band {start}..{end}");
        let mut nonzero = nonzero_mask(&block.data);
        nonzero &= (u64::MAX << start) & (u64::MAX >> (64 - end));
        self.write_ac_symbols(nonzero, start, end, |i| block.data[i], ac_table)
    }

    /// [`JfifWriter::write_block`] for a block in natural order (row by row), as quantisation leaves it.
    // Tessella (vendored copy): baseline scans code the block where it lies and take each coefficient
    // through the zigzag table, instead of first copying all 64 into zigzag order (the copy's 2-byte
    // stores also stalled the vector loads of the mask that read them back). The same symbols.
    pub fn write_block_natural(
        &mut self,
        natural: &AlignedBlock,
        prev_dc: i16,
        dc_table: &HuffmanTable,
        ac_table: &HuffmanTable,
    ) -> Result<(), EncodingError> {
        self.write_dc(natural.data[0], prev_dc, dc_table)?;
        let nonzero = zigzag_mask(nonzero_mask(&natural.data)) & !1;
        self.write_ac_symbols(nonzero, 1, 64, |i| natural.data[ZIGZAG[i] as usize & 0x3f], ac_table)
    }

    /// The AC symbols of the coefficients whose zigzag positions are set in `nonzero`, all in
    /// `start..end`, and an end of band when the last of them is before `end`.
    #[inline(always)]
    fn write_ac_symbols(
        &mut self,
        mut nonzero: u64,
        start: usize,
        end: usize,
        coefficient: impl Fn(usize) -> i16,
        ac_table: &HuffmanTable,
    ) -> Result<(), EncodingError> {
        let mut next = start as u32;
        while nonzero != 0 {
            let i = nonzero.trailing_zeros();
            nonzero &= nonzero - 1;

            let mut zero_run = (i - next) as u8;
            while zero_run > 15 {
                self.huffman_encode(0xF0, ac_table)?;
                zero_run -= 16;
            }

            let (size, value) = get_code(coefficient(i as usize));
            let symbol = (zero_run << 4) | size;

            self.huffman_encode_value(size, symbol, value, ac_table)?;

            next = i + 1;
        }

        if (next as usize) < end {
            self.huffman_encode(0x00, ac_table)?;
        }

        Ok(())
    }

    pub fn write_frame_header(
        &mut self,
        width: u16,
        height: u16,
        components: &[Component],
        progressive: bool,
    ) -> Result<(), EncodingError> {
        if progressive {
            self.write_marker(Marker::SOF(SOFType::ProgressiveDCT))?;
        } else {
            self.write_marker(Marker::SOF(SOFType::BaselineDCT))?;
        }

        self.write_u16(2 + 1 + 2 + 2 + 1 + (components.len() as u16) * 3)?;

        // Precision
        self.write_u8(8)?;

        self.write_u16(height)?;
        self.write_u16(width)?;

        self.write_u8(components.len() as u8)?;

        for component in components.iter() {
            self.write_u8(component.id)?;
            self.write_u8(
                (component.horizontal_sampling_factor << 4) | component.vertical_sampling_factor,
            )?;
            self.write_u8(component.quantization_table)?;
        }

        Ok(())
    }

    pub fn write_scan_header(
        &mut self,
        components: &[&Component],
        spectral: Option<(u8, u8)>,
    ) -> Result<(), EncodingError> {
        self.write_marker(Marker::SOS)?;

        self.write_u16(2 + 1 + (components.len() as u16) * 2 + 3)?;

        self.write_u8(components.len() as u8)?;

        for component in components.iter() {
            self.write_u8(component.id)?;
            self.write_u8((component.dc_huffman_table << 4) | component.ac_huffman_table)?;
        }

        let (spectral_start, spectral_end) = spectral.unwrap_or((0, 63));

        // Start of spectral or predictor selection
        self.write_u8(spectral_start)?;

        // End of spectral selection
        self.write_u8(spectral_end)?;

        // Successive approximation bit position high and low
        self.write_u8(0)?;

        Ok(())
    }
}

/// Bit `i` set where `data[i]` is not zero.
// Tessella (vendored copy): one compare and one byte mask per 8 or 16 coefficients where the build has
// them (SSE2, part of x86-64, with the `simd` feature that allows the crate its unsafe calls; simd128
// when the wasm build enables it); the compiler turned the scalar loop into a variable shift per
// coefficient.
#[inline(always)]
pub(crate) fn nonzero_mask(data: &[i16; 64]) -> u64 {
    #[cfg(all(feature = "simd", target_arch = "x86_64"))]
    {
        use core::arch::x86_64::{
            __m128i, _mm_cmpeq_epi16, _mm_loadu_si128, _mm_movemask_epi8, _mm_packs_epi16, _mm_setzero_si128,
        };
        let mut zeros = 0u64;
        for (i, sixteen) in data.chunks_exact(16).enumerate() {
            // SAFETY: SSE2 is part of every x86-64 CPU, and each load reads 8 of `sixteen`'s 16 values.
            let mask = unsafe {
                let zero = _mm_setzero_si128();
                let low = _mm_cmpeq_epi16(_mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>()), zero);
                let high = _mm_cmpeq_epi16(_mm_loadu_si128(sixteen[8..].as_ptr().cast::<__m128i>()), zero);
                // Saturating narrowing keeps each lane's 0 or -1: one mask bit per coefficient.
                _mm_movemask_epi8(_mm_packs_epi16(low, high))
            };
            zeros |= u64::from(mask as u16) << (16 * i);
        }
        !zeros
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{i16x8, i16x8_bitmask, i16x8_ne, i16x8_splat};
        let zero = i16x8_splat(0);
        let mut nonzero = 0u64;
        for (i, v) in data.chunks_exact(8).enumerate() {
            let lanes = i16x8(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
            nonzero |= u64::from(i16x8_bitmask(i16x8_ne(lanes, zero))) << (8 * i);
        }
        nonzero
    }
    #[cfg(not(any(
        all(feature = "simd", target_arch = "x86_64"),
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        let mut nonzero = 0u64;
        for (i, &value) in data.iter().enumerate() {
            nonzero |= u64::from(value != 0) << i;
        }
        nonzero
    }
}

#[inline]
pub(crate) fn get_code(value: i16) -> (u8, u16) {
    let temp = value - (value.is_negative() as i16);
    let temp2 = value.abs();

    /*
     * Doing this instead of 16 - temp2.leading_zeros()
     * Gives the compiler the information that leadings_zeros
     * is always called on a non zero value, which removes a branch on x86
     */
    let num_bits = 15 - (temp2 << 1 | 1).leading_zeros() as u16;

    let coefficient = temp & ((1 << num_bits as usize) - 1);

    (num_bits as u8, coefficient as u16)
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::{get_code, nonzero_mask, zigzag_mask, JfifWriter, ZIGZAG};
    use crate::encoder::AlignedBlock;
    use crate::huffman::HuffmanTable;

    /// The loop `write_ac_block` had upstream, one branch per coefficient.
    fn write_ac_block_per_coefficient(
        writer: &mut JfifWriter<&mut Vec<u8>>,
        block: &AlignedBlock,
        start: usize,
        end: usize,
        ac_table: &HuffmanTable,
    ) {
        let mut zero_run = 0;
        for &value in &block.data[start..end] {
            if value == 0 {
                zero_run += 1;
            } else {
                while zero_run > 15 {
                    writer.huffman_encode(0xF0, ac_table).unwrap();
                    zero_run -= 16;
                }
                let (size, value) = get_code(value);
                writer
                    .huffman_encode_value(size, (zero_run << 4) | size, value, ac_table)
                    .unwrap();
                zero_run = 0;
            }
        }
        if zero_run > 0 {
            writer.huffman_encode(0x00, ac_table).unwrap();
        }
    }

    // Tessella (vendored copy): the bit-mask walk writes the same bytes as the upstream loop, for
    // blocks from all-zero to dense, long zero runs (ZRL symbols), a last coefficient set or not, and
    // the spectral bands of progressive scans.
    #[test]
    fn ac_block_by_mask_equals_per_coefficient_loop() {
        let table = HuffmanTable::default_luma_ac();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let bands = [(1, 64), (1, 6), (6, 64), (1, 2), (63, 64), (20, 40)];
        let mut blocks = 0;
        for density in [0u64, 1, 3, 8, 16, 32, 64] {
            for _ in 0..400 {
                let mut block = AlignedBlock::new([0; 64]);
                for value in block.data.iter_mut() {
                    let r = next();
                    if r % 64 < density {
                        // AC codes go up to 10 bits.
                        let magnitude = ((r >> 8) % 1023) as i16 + 1;
                        *value = if r & 0x80 != 0 { -magnitude } else { magnitude };
                    }
                }
                if next() % 4 == 0 {
                    block.data[63] = 1;
                }
                for &(start, end) in &bands {
                    let mut fast = Vec::new();
                    let mut slow = Vec::new();
                    {
                        let mut writer = JfifWriter::new(&mut fast);
                        writer.write_ac_block(&block, start, end, &table).unwrap();
                        writer.finalize_bit_buffer().unwrap();
                    }
                    {
                        let mut writer = JfifWriter::new(&mut slow);
                        write_ac_block_per_coefficient(&mut writer, &block, start, end, &table);
                        writer.finalize_bit_buffer().unwrap();
                    }
                    assert_eq!(fast, slow, "block {:?}, band {start}..{end}", block.data);
                    blocks += 1;
                }
            }
        }
        assert_eq!(blocks, 7 * 400 * bands.len());
    }
    fn xorshift(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// Blocks from all zero to dense; with `extremes`, the ends of i16 among the values, else AC-codable
    /// values (up to 10 bits).
    fn random_blocks(count: usize, extremes: bool) -> Vec<AlignedBlock> {
        let mut next = xorshift(0x2545_F491_4F6C_DD1D);
        let mut blocks = Vec::new();
        for density in [0u64, 1, 3, 8, 16, 32, 63, 64] {
            for _ in 0..count {
                let mut block = AlignedBlock::new([0; 64]);
                for value in block.data.iter_mut() {
                    let r = next();
                    if r % 64 < density {
                        let magnitude = ((r >> 8) % 1023) as i16 + 1;
                        *value = match r >> 60 {
                            0 if extremes => i16::MIN,
                            1 if extremes => i16::MAX,
                            _ if r & 0x80 != 0 => -magnitude,
                            _ => magnitude,
                        };
                    }
                }
                blocks.push(block);
            }
        }
        blocks
    }

    // Tessella (vendored copy): the vector mask (SSE2 natively, simd128 under wasm) is the scalar one.
    #[test]
    fn nonzero_mask_equals_scalar_loop() {
        for block in random_blocks(300, true) {
            let mut scalar = 0u64;
            for (i, &value) in block.data.iter().enumerate() {
                scalar |= u64::from(value != 0) << i;
            }
            assert_eq!(nonzero_mask(&block.data), scalar, "{:?}", block.data);
        }
    }

    #[test]
    fn zigzag_mask_moves_each_bit_to_its_zigzag_position() {
        for (position, &natural) in ZIGZAG.iter().enumerate() {
            assert_eq!(zigzag_mask(1 << natural), 1 << position, "natural index {natural}");
        }
        assert_eq!(zigzag_mask(u64::MAX), u64::MAX);
    }

    // Tessella (vendored copy): a block coded where it lies in natural order gives the bytes of the same
    // block copied into zigzag order and coded by upstream's loop.
    #[test]
    fn natural_order_block_equals_zigzag_block() {
        let dc_table = HuffmanTable::default_luma_dc();
        let ac_table = HuffmanTable::default_luma_ac();
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        for natural in random_blocks(300, false) {
            // DC differences stay within 11 bits, as a real scan's do.
            let mut natural = natural;
            natural.data[0] = (next() % 2047) as i16 - 1023;
            let prev_dc = (next() % 2047) as i16 - 1023;
            let mut zigzag = AlignedBlock::new([0; 64]);
            for (i, value) in zigzag.data.iter_mut().enumerate() {
                *value = natural.data[ZIGZAG[i] as usize];
            }
            let mut fast = Vec::new();
            let mut slow = Vec::new();
            {
                let mut writer = JfifWriter::new(&mut fast);
                writer.write_block_natural(&natural, prev_dc, &dc_table, &ac_table).unwrap();
                writer.finalize_bit_buffer().unwrap();
            }
            {
                let mut writer = JfifWriter::new(&mut slow);
                writer.write_dc(zigzag.data[0], prev_dc, &dc_table).unwrap();
                write_ac_block_per_coefficient(&mut writer, &zigzag, 1, 64, &ac_table);
                writer.finalize_bit_buffer().unwrap();
            }
            assert_eq!(fast, slow, "natural {:?}", natural.data);
        }
    }
}

