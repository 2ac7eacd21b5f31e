//! Compiles the C++ shim against the system's OpenJPH and links it. Debian's `libopenjph-dev` 0.9 ships a
//! pkg-config file with empty fields, so the headers are looked for directly: `$OPENJPH_INCLUDE` (the
//! directory holding `openjph/`, default `/usr/include`) and `$OPENJPH_LIB_DIR` for a library outside the
//! linker's default path.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src/shim.cpp");
    println!("cargo:rerun-if-env-changed=OPENJPH_INCLUDE");
    println!("cargo:rerun-if-env-changed=OPENJPH_LIB_DIR");
    let include = PathBuf::from(std::env::var("OPENJPH_INCLUDE").unwrap_or_else(|_| "/usr/include".into()));
    let header = include.join("openjph/ojph_codestream.h");
    assert!(
        header.exists(),
        "tessella-openjph needs OpenJPH's development files: {} is missing (Debian: apt-get install \
         libopenjph-dev; elsewhere set OPENJPH_INCLUDE and OPENJPH_LIB_DIR)",
        header.display()
    );
    cc::Build::new()
        .cpp(true)
        .std("c++14")
        .file("src/shim.cpp")
        .include(&include)
        .warnings(true)
        .compile("tessella_openjph_shim");
    if let Ok(dir) = std::env::var("OPENJPH_LIB_DIR") {
        println!("cargo:rustc-link-search=native={dir}");
    }
    println!("cargo:rustc-link-lib=openjph");
}
