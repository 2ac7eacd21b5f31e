//! The HTTP parts of the Image API that do not depend on a server framework: media types and `Link`
//! header values. Servers (origin and edge) use these so both answer with the same headers.

use alloc::format;
use alloc::string::String;

use super::Version;

/// The profile URI of the compliance level Tessella implements.
pub fn profile_uri(version: Version) -> &'static str {
    match version {
        Version::V2 => "http://iiif.io/api/image/2/level2.json",
        Version::V3 => "http://iiif.io/api/image/3/level2.json",
    }
}

/// `Link: <...>;rel="profile"`, sent with image responses.
pub fn profile_link(version: Version) -> String {
    format!("<{}>;rel=\"profile\"", profile_uri(version))
}

/// `Link: <...>;rel="canonical"`, sent with image responses.
pub fn canonical_link(canonical_url: &str) -> String {
    format!("<{canonical_url}>;rel=\"canonical\"")
}

/// The JSON-LD context link 2.1 asks for when info.json is served as plain `application/json` (§5).
pub fn context_link(version: Version) -> String {
    format!(
        "<{}>;rel=\"http://www.w3.org/ns/json-ld#context\";type=\"application/ld+json\"",
        version.context()
    )
}

/// Whether an `Accept` header asks for JSON-LD.
pub fn accepts_json_ld(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| a.split(',').any(|part| part.trim().starts_with("application/ld+json")))
}

/// The `Content-Type` of an info.json response: JSON-LD (with the 3.0 profile parameter) when the client
/// asked for it, plain JSON otherwise.
pub fn info_media_type(version: Version, accept: Option<&str>) -> &'static str {
    match (version, accepts_json_ld(accept)) {
        (Version::V3, true) => "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"",
        (Version::V2, true) => "application/ld+json",
        (_, false) => "application/json",
    }
}

/// The strong `ETag` of an image response: the canonical request's cache key and the source's version,
/// hashed. The same URL from the same source bytes always renders the same body, so origin and edge,
/// which both compute it here, send the same tag for the same image. FNV-1a (twice, differently seeded,
/// for 128 bits) because it is stable across Rust releases, so tags survive upgrades and restarts.
pub fn image_etag(cache_key: &str, source_version: &str) -> String {
    let a = fnv1a(0xcbf2_9ce4_8422_2325, cache_key, source_version);
    let b = fnv1a(0x6c62_272e_07bb_0142, cache_key, source_version);
    format!("\"{a:016x}{b:016x}\"")
}

fn fnv1a(seed: u64, key: &str, version: &str) -> u64 {
    let mut h = seed;
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    for byte in key.bytes().chain([0u8]).chain(version.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Whether an `If-None-Match` value names `etag` (or `*`): weak comparison, as RFC 9110 asks for this
/// header. Each header line is passed separately.
pub fn if_none_match<'a>(values: impl IntoIterator<Item = &'a str>, etag: &str) -> bool {
    values.into_iter().any(|v| {
        v.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_stable_and_depend_on_both_parts() {
        let e = image_etag("3/a/full/max/0/default.jpg", "v1");
        assert_eq!(e, image_etag("3/a/full/max/0/default.jpg", "v1"));
        assert_ne!(e, image_etag("3/a/full/max/0/default.jpg", "v2"));
        assert_ne!(e, image_etag("3/b/full/max/0/default.jpg", "v1"));
        assert_eq!(e.len(), 34);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert!(if_none_match(["\"x\", W/\"abc\""], "\"abc\""));
        assert!(if_none_match(["*"], "\"abc\""));
        assert!(!if_none_match(["\"x\", W/\"abc\""], "\"abd\""));
    }

    #[test]
    fn headers() {
        assert_eq!(profile_link(Version::V3), "<http://iiif.io/api/image/3/level2.json>;rel=\"profile\"");
        assert_eq!(
            canonical_link("https://x/iiif/3/a/full/max/0/default.jpg"),
            "<https://x/iiif/3/a/full/max/0/default.jpg>;rel=\"canonical\""
        );
        assert!(context_link(Version::V2).contains("http://iiif.io/api/image/2/context.json"));
    }

    #[test]
    fn media_types_follow_accept() {
        assert_eq!(info_media_type(Version::V3, None), "application/json");
        assert_eq!(
            info_media_type(Version::V3, Some("text/html, application/ld+json;q=0.9")),
            "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\""
        );
        assert_eq!(info_media_type(Version::V2, Some("application/ld+json")), "application/ld+json");
        assert_eq!(info_media_type(Version::V2, Some("application/json")), "application/json");
    }
}
