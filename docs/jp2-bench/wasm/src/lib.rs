use tessella_core::pixels::{Budget, decode::jp2::{decode_jp2, Region}};
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 { let mut v = vec![0u8; len]; let p = v.as_mut_ptr(); std::mem::forget(v); p }
#[unsafe(no_mangle)]
pub extern "C" fn dec(ptr: *const u8, len: usize, reduce: u32, x: u32, y: u32, w: u32, h: u32, mib: u32) -> u32 {
    let data = unsafe { std::slice::from_raw_parts(ptr, len) };
    let region = (w > 0).then_some(Region { x, y, w, h });
    let budget = Budget { max_pixels: 100_000_000, max_bytes: u64::from(mib) << 20 };
    match decode_jp2(data, reduce as u8, region, &budget) { Ok(i) => i.data.iter().map(|&b| b as u32).sum::<u32>() % 1_000_000, Err(e) => match e { tessella_core::pixels::PixelError::OverBudget{..} => 1_000_001, tessella_core::pixels::PixelError::OutOfMemory(_) => 1_000_002, tessella_core::pixels::PixelError::Corrupt{..} => 1_000_003, _ => 1_000_004 } }
}
