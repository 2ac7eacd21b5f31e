// The C ABI tessella-openjph calls: one function that encodes interleaved 8- or 16-bit samples as an
// HTJ2K codestream with OpenJPH, and one that frees its output. OpenJPH reports errors by throwing; every
// exception stops here and becomes a message, so nothing unwinds into Rust.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <openjph/ojph_arch.h>
#include <openjph/ojph_codestream.h>
#include <openjph/ojph_file.h>
#include <openjph/ojph_mem.h>
#include <openjph/ojph_params.h>

extern "C" {

struct tessella_ojph_params {
  uint32_t width, height, channels, bytes_per_sample, bit_depth;
  uint32_t tile_width, tile_height, levels, block;
  int reversible;
  float qstep;
};

static void message(char *err, size_t err_len, const char *text) {
  if (err && err_len > 0) {
    std::strncpy(err, text, err_len - 1);
    err[err_len - 1] = 0;
  }
}

// 0 on success, with `*out` (malloc'd, freed by tessella_ojph_free) and `*out_len` set; else nonzero and
// the reason in `err`.
int tessella_ojph_encode(const tessella_ojph_params *p, const uint8_t *pixels, size_t pixels_len,
                         uint8_t **out, size_t *out_len, char *err, size_t err_len) {
  *out = nullptr;
  *out_len = 0;
  const size_t row = size_t(p->width) * p->channels * p->bytes_per_sample;
  if (pixels_len < row * p->height) {
    message(err, err_len, "fewer pixel bytes than width × height × channels");
    return 1;
  }
  try {
    ojph::codestream cs;
    ojph::param_siz siz = cs.access_siz();
    siz.set_image_extent(ojph::point(p->width, p->height));
    siz.set_num_components(p->channels);
    for (uint32_t c = 0; c < p->channels; ++c) {
      siz.set_component(c, ojph::point(1, 1), p->bit_depth, false);
    }
    siz.set_image_offset(ojph::point(0, 0));
    siz.set_tile_size(ojph::size(p->tile_width, p->tile_height));
    siz.set_tile_offset(ojph::point(0, 0));
    ojph::param_cod cod = cs.access_cod();
    cod.set_num_decomposition(p->levels);
    cod.set_block_dims(p->block, p->block);
    cod.set_progression_order("RPCL");
    // The colour transform needs three components; alpha (a fourth) is coded as it is.
    cod.set_color_transform(p->channels >= 3);
    cod.set_reversible(p->reversible != 0);
    if (!p->reversible) {
      cs.access_qcd().set_irrev_quant(p->qstep);
    }
    cs.set_planar(false);
    ojph::mem_outfile file;
    file.open();
    cs.write_headers(&file);
    ojph::ui32 next = 0;
    ojph::line_buf *line = cs.exchange(nullptr, next);
    for (uint32_t y = 0; y < p->height; ++y) {
      const uint8_t *src = pixels + size_t(y) * row;
      for (uint32_t c = 0; c < p->channels; ++c) {
        ojph::si32 *dst = line->i32;
        if (p->bytes_per_sample == 1) {
          for (uint32_t x = 0; x < p->width; ++x) {
            dst[x] = src[size_t(x) * p->channels + next];
          }
        } else {
          for (uint32_t x = 0; x < p->width; ++x) {
            uint16_t v;
            std::memcpy(&v, src + (size_t(x) * p->channels + next) * 2, 2);
            dst[x] = v;
          }
        }
        line = cs.exchange(line, next);
      }
    }
    cs.flush();
    const size_t len = size_t(file.tell());
    uint8_t *buf = static_cast<uint8_t *>(std::malloc(len ? len : 1));
    if (!buf) {
      message(err, err_len, "out of memory for the codestream");
      cs.close();
      return 1;
    }
    std::memcpy(buf, file.get_data(), len);
    cs.close();
    *out = buf;
    *out_len = len;
    return 0;
  } catch (const std::exception &e) {
    message(err, err_len, e.what());
  } catch (...) {
    message(err, err_len, "OpenJPH failed");
  }
  return 1;
}

void tessella_ojph_free(uint8_t *p) { std::free(p); }
}
