//! The edge's settings, read from the platform's variables (Worker `vars`, Spin variables or the
//! environment) by name, so every adapter reads the same names.

use tessella_core::iiif::Limits;
use tessella_core::render::CostLimits;

/// Everything the edge flow is configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeConfig {
    /// `ORIGIN_URL`: the origin server, e.g. `https://iiif-origin.example.org` (no trailing slash).
    pub origin_url: String,
    /// `PUBLIC_BASE`: the base URL viewers use (the edge's), for `Link` and `Location`. Must be the
    /// origin's `public_base` too, so both send the same headers. Default: `ORIGIN_URL`.
    pub public_base: String,
    /// `SOURCE_SECRET`: the origin's `edge_source.secret`, for its byte-range endpoint. Without it (and
    /// without another range source, such as an R2 bucket) the edge renders nothing itself.
    pub source_secret: Option<String>,
    /// `CACHE_MAX_AGE`: `Cache-Control: public, max-age=…` on images (the origin's
    /// `cache_control_max_age`, default 86400).
    pub cache_control_max_age: u64,
    /// `META_TTL_SECONDS`: how long a source's probed metadata is kept (default 300): a changed source is
    /// noticed within this time.
    pub meta_ttl_seconds: u64,
    /// `MAX_MEMORY_MB` (default 64), `MAX_FETCH_MB` (default 32), `MAX_PIXELS` (default 16000000): what
    /// one edge render may hold, fetch and decode; a request whose plan exceeds any goes to the origin.
    pub cost: CostLimits,
    /// `MAX_WIDTH`, `MAX_HEIGHT`, `MAX_AREA`, `UPSCALING`: the IIIF limits. They must equal the origin's,
    /// because the canonical form (and so the cache key and ETag) depends on them.
    pub limits: Limits,
    /// `JPEG_QUALITY` (default 85, the origin's default).
    pub jpeg_quality: u8,
    /// `PASSTHROUGH` (default true): serve stored JPEG tiles, and mosaics of them joined, without
    /// re-encoding. Must equal the origin's `passthrough`, since both send the same ETag.
    pub passthrough: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("{name} must be {what}, not {value:?}")]
    Invalid { name: &'static str, what: &'static str, value: String },
}

const MB: u64 = 1024 * 1024;

impl EdgeConfig {
    /// Reads the settings through `var` (a platform's variable lookup).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<EdgeConfig, ConfigError> {
        let text = |name: &'static str| var(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let number = |name: &'static str, default: u64| -> Result<u64, ConfigError> {
            match text(name) {
                None => Ok(default),
                Some(v) => {
                    v.parse().map_err(|_| ConfigError::Invalid { name, what: "a whole number", value: v })
                }
            }
        };
        let optional = |name: &'static str| -> Result<Option<u64>, ConfigError> {
            text(name)
                .map(|v| {
                    v.parse().map_err(|_| ConfigError::Invalid { name, what: "a whole number", value: v })
                })
                .transpose()
        };
        let origin_url = text("ORIGIN_URL").ok_or(ConfigError::Missing("ORIGIN_URL"))?;
        let origin_url = origin_url.trim_end_matches('/').to_string();
        let public_base =
            text("PUBLIC_BASE").map_or_else(|| origin_url.clone(), |b| b.trim_end_matches('/').to_string());
        let flag = |name: &'static str| match text(name).as_deref() {
            None | Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(ConfigError::Invalid { name, what: "true or false", value: other.into() }),
        };
        let upscaling = flag("UPSCALING")?;
        let to_u32 = |name: &'static str, v: Option<u64>| -> Result<Option<u32>, ConfigError> {
            v.map(|v| {
                u32::try_from(v).map_err(|_| ConfigError::Invalid {
                    name,
                    what: "a pixel count",
                    value: v.to_string(),
                })
            })
            .transpose()
        };
        let jpeg_quality = number("JPEG_QUALITY", 85)?;
        Ok(EdgeConfig {
            origin_url,
            public_base,
            source_secret: text("SOURCE_SECRET"),
            cache_control_max_age: number("CACHE_MAX_AGE", 86_400)?,
            meta_ttl_seconds: number("META_TTL_SECONDS", 300)?,
            cost: CostLimits {
                max_peak_memory: number("MAX_MEMORY_MB", 64)?.saturating_mul(MB),
                max_fetch_bytes: number("MAX_FETCH_MB", 32)?.saturating_mul(MB),
                max_decoded_pixels: number("MAX_PIXELS", 16_000_000)?,
            },
            limits: Limits {
                max_width: to_u32("MAX_WIDTH", optional("MAX_WIDTH")?)?,
                max_height: to_u32("MAX_HEIGHT", optional("MAX_HEIGHT")?)?,
                max_area: optional("MAX_AREA")?,
                allow_upscaling: upscaling,
            },
            jpeg_quality: u8::try_from(jpeg_quality.clamp(1, 100)).unwrap_or(85),
            passthrough: flag("PASSTHROUGH")?,
        })
    }

    /// `{public base}/iiif/{version}`.
    pub fn service_base(&self, version: tessella_core::Version) -> String {
        format!("{}/iiif/{}", self.public_base, version.path_segment())
    }

    pub fn cache_control(&self) -> String {
        format!("public, max-age={}", self.cache_control_max_age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn defaults_and_overrides() {
        let c = EdgeConfig::from_vars(vars(&[("ORIGIN_URL", "http://o:8080/")])).expect("config");
        assert_eq!(c.origin_url, "http://o:8080");
        assert_eq!(c.public_base, "http://o:8080");
        assert_eq!(c.cost.max_peak_memory, 64 * MB);
        assert_eq!(c.cache_control(), "public, max-age=86400");
        assert!(c.limits.allow_upscaling);
        let c = EdgeConfig::from_vars(vars(&[
            ("ORIGIN_URL", "http://o"),
            ("PUBLIC_BASE", "https://edge/"),
            ("MAX_MEMORY_MB", "8"),
            ("MAX_WIDTH", "2000"),
            ("UPSCALING", "false"),
            ("PASSTHROUGH", "false"),
            ("SOURCE_SECRET", " s3cret "),
        ]))
        .expect("config");
        assert_eq!(c.public_base, "https://edge");
        assert_eq!(c.cost.max_peak_memory, 8 * MB);
        assert_eq!(c.limits.max_width, Some(2000));
        assert!(!c.limits.allow_upscaling);
        assert!(!c.passthrough);
        assert_eq!(c.source_secret.as_deref(), Some("s3cret"));
    }

    #[test]
    fn missing_origin_and_bad_numbers_are_errors() {
        assert_eq!(EdgeConfig::from_vars(vars(&[])), Err(ConfigError::Missing("ORIGIN_URL")));
        let e = EdgeConfig::from_vars(vars(&[("ORIGIN_URL", "http://o"), ("MAX_MEMORY_MB", "lots")]));
        assert!(matches!(e, Err(ConfigError::Invalid { name: "MAX_MEMORY_MB", .. })), "{e:?}");
    }
}
