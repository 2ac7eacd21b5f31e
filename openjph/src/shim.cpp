// The C ABI tessella-openjph calls: an encoder fed interleaved 8- or 16-bit rows (start, push rows,
// finish or abort), writing an HTJ2K codestream with OpenJPH, and the free for its output. OpenJPH reports errors by throwing; every
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

// An encode in progress: the codestream, its in-memory output, and the line OpenJPH wants next.
struct tessella_ojph_encoder {
  tessella_ojph_params p;
  ojph::codestream cs;
  ojph::mem_outfile file;
  ojph::line_buf *line = nullptr;
  ojph::ui32 next = 0;
  uint32_t rows = 0;
};

// A new encode, or null with the reason in `err`.
tessella_ojph_encoder *tessella_ojph_start(const tessella_ojph_params *p, char *err, size_t err_len) {
  tessella_ojph_encoder *e = nullptr;
  try {
    e = new tessella_ojph_encoder();
    e->p = *p;
    ojph::param_siz siz = e->cs.access_siz();
    siz.set_image_extent(ojph::point(p->width, p->height));
    siz.set_num_components(p->channels);
    for (uint32_t c = 0; c < p->channels; ++c) {
      siz.set_component(c, ojph::point(1, 1), p->bit_depth, false);
    }
    siz.set_image_offset(ojph::point(0, 0));
    siz.set_tile_size(ojph::size(p->tile_width, p->tile_height));
    siz.set_tile_offset(ojph::point(0, 0));
    ojph::param_cod cod = e->cs.access_cod();
    cod.set_num_decomposition(p->levels);
    cod.set_block_dims(p->block, p->block);
    cod.set_progression_order("RPCL");
    // The colour transform needs three components; alpha (a fourth) is coded as it is.
    cod.set_color_transform(p->channels >= 3);
    cod.set_reversible(p->reversible != 0);
    if (!p->reversible) {
      e->cs.access_qcd().set_irrev_quant(p->qstep);
    }
    e->cs.set_planar(false);
    e->file.open();
    e->cs.write_headers(&e->file);
    e->line = e->cs.exchange(nullptr, e->next);
    return e;
  } catch (const std::exception &ex) {
    message(err, err_len, ex.what());
  } catch (...) {
    message(err, err_len, "OpenJPH failed");
  }
  delete e;
  return nullptr;
}

// Encodes `nrows` rows of interleaved samples; 0 on success.
int tessella_ojph_push_rows(tessella_ojph_encoder *e, const uint8_t *pixels, size_t pixels_len, uint32_t nrows,
                            char *err, size_t err_len) {
  const tessella_ojph_params *p = &e->p;
  const size_t row = size_t(p->width) * p->channels * p->bytes_per_sample;
  if (pixels_len < row * nrows || e->rows + nrows > p->height) {
    message(err, err_len, "rows past the image, or fewer bytes than the rows");
    return 1;
  }
  try {
    for (uint32_t y = 0; y < nrows; ++y) {
      const uint8_t *src = pixels + size_t(y) * row;
      for (uint32_t c = 0; c < p->channels; ++c) {
        ojph::si32 *dst = e->line->i32;
        if (p->bytes_per_sample == 1) {
          for (uint32_t x = 0; x < p->width; ++x) {
            dst[x] = src[size_t(x) * p->channels + e->next];
          }
        } else {
          for (uint32_t x = 0; x < p->width; ++x) {
            uint16_t v;
            std::memcpy(&v, src + (size_t(x) * p->channels + e->next) * 2, 2);
            dst[x] = v;
          }
        }
        e->line = e->cs.exchange(e->line, e->next);
      }
    }
    e->rows += nrows;
    return 0;
  } catch (const std::exception &ex) {
    message(err, err_len, ex.what());
  } catch (...) {
    message(err, err_len, "OpenJPH failed");
  }
  return 1;
}

// Ends the codestream and frees the encoder: 0 with `*out` (malloc'd, freed by tessella_ojph_free) and
// `*out_len` set, else nonzero and the reason in `err`.
int tessella_ojph_finish(tessella_ojph_encoder *e, uint8_t **out, size_t *out_len, char *err, size_t err_len) {
  *out = nullptr;
  *out_len = 0;
  int status = 1;
  try {
    if (e->rows != e->p.height) {
      message(err, err_len, "the image's rows were not all written");
    } else {
      e->cs.flush();
      const size_t len = size_t(e->file.tell());
      uint8_t *buf = static_cast<uint8_t *>(std::malloc(len ? len : 1));
      if (!buf) {
        message(err, err_len, "out of memory for the codestream");
      } else {
        std::memcpy(buf, e->file.get_data(), len);
        *out = buf;
        *out_len = len;
        status = 0;
      }
    }
    e->cs.close();
  } catch (const std::exception &ex) {
    message(err, err_len, ex.what());
    status = 1;
  } catch (...) {
    message(err, err_len, "OpenJPH failed");
    status = 1;
  }
  delete e;
  return status;
}

// Frees an encoder that will not be finished.
void tessella_ojph_abort(tessella_ojph_encoder *e) {
  try {
    delete e;
  } catch (...) {
  }
}

void tessella_ojph_free(uint8_t *p) { std::free(p); }
}
