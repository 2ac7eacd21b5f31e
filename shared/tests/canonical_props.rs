//! Property tests: canonical form is a fixed point of parse ∘ resolve, for random requests against
//! random image sizes from 1×1 to 100000×100000 and random server limits; and no input makes the parser
//! or resolver panic.

use proptest::prelude::*;
use tessella_core::iiif::{Limits, Route, Segment, Version, parse_path, resolve};

fn version() -> impl Strategy<Value = Version> {
    prop_oneof![Just(Version::V2), Just(Version::V3)]
}

fn decimal() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..=120).prop_map(|n| n.to_string()),
        (0u32..=12000).prop_map(|n| format!("{}.{:02}", n / 100, n % 100)),
        (0u32..=1000).prop_map(|n| format!("{}.{}", n / 1000, n % 1000)),
    ]
}

fn region() -> impl Strategy<Value = String> {
    let n = || 0u32..=120_000;
    prop_oneof![
        Just("full".to_string()),
        Just("square".to_string()),
        (n(), n(), 0u32..=120_000, 0u32..=120_000).prop_map(|(x, y, w, h)| format!("{x},{y},{w},{h}")),
        (0u32..=200, 0u32..=200, 1u32..=100, 1u32..=100).prop_map(|(x, y, w, h)| format!("{x},{y},{w},{h}")),
        (decimal(), decimal(), decimal(), decimal()).prop_map(|(x, y, w, h)| format!("pct:{x},{y},{w},{h}")),
    ]
}

fn size(v: Version) -> impl Strategy<Value = String> {
    let n = || 1u32..=150_000;
    let body = prop_oneof![
        Just("max".to_string()),
        n().prop_map(|w| format!("{w},")),
        n().prop_map(|h| format!(",{h}")),
        (n(), n()).prop_map(|(w, h)| format!("{w},{h}")),
        (n(), n()).prop_map(|(w, h)| format!("!{w},{h}")),
        (1u32..=512).prop_map(|w| format!("{w},")),
        (1u32..=40000).prop_map(|p| format!("pct:{}.{:02}", p / 100, p % 100)),
    ];
    let caret = if v == Version::V3 { any::<bool>().boxed() } else { Just(false).boxed() };
    let full =
        if v == Version::V2 { prop_oneof![Just(true), Just(false)].boxed() } else { Just(false).boxed() };
    (body, caret, full).prop_map(|(b, c, f)| {
        if f {
            "full".to_string()
        } else if c {
            format!("^{b}")
        } else {
            b
        }
    })
}

fn rotation() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop_oneof![Just("0".to_string()), Just("90".to_string()), Just("360".to_string()), decimal()],
    )
        .prop_map(|(m, d)| format!("{}{d}", if m { "!" } else { "" }))
}

fn tail() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("default"), Just("color"), Just("gray"), Just("bitonal")],
        prop_oneof![
            Just("jpg"),
            Just("png"),
            Just("webp"),
            Just("tif"),
            Just("gif"),
            Just("jp2"),
            Just("pdf")
        ],
    )
        .prop_map(|(q, f)| format!("{q}.{f}"))
}

fn limits() -> impl Strategy<Value = Limits> {
    (
        prop::option::of(1u32..=20_000),
        prop::option::of(1u32..=20_000),
        prop::option::of(1u64..=400_000_000),
        any::<bool>(),
    )
        .prop_map(|(max_width, max_height, max_area, allow_upscaling)| Limits {
            max_width,
            max_height,
            max_area,
            allow_upscaling,
        })
}

fn image_side() -> impl Strategy<Value = u32> {
    prop_oneof![1u32..=16, 1u32..=4096, 1u32..=100_000]
}

fn request() -> impl Strategy<Value = (Version, String)> {
    version().prop_flat_map(|v| {
        (Just(v), region(), size(v), rotation(), tail())
            .prop_map(|(v, r, s, rot, t)| (v, format!("ark:%2F21198%2Fzz0009gsq9/{r}/{s}/{rot}/{t}")))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn canonical_is_a_fixed_point((v, path) in request(), w in image_side(), h in image_side(), l in limits()) {
        let Ok(Route::Image(req)) = parse_path(v, &path) else {
            return Err(TestCaseError::fail(format!("generated request did not parse: {path}")));
        };
        let Ok(first) = resolve(&req, w, h, &l) else { return Ok(()) };
        let canonical = first.canonical();
        let again = match parse_path(v, &canonical.path()) {
            Ok(Route::Image(r)) => r,
            other => return Err(TestCaseError::fail(format!("{} → {} did not parse: {other:?}", path, canonical.path()))),
        };
        let second = resolve(&again, w, h, &l)
            .map_err(|e| TestCaseError::fail(format!("{path} → {} on {w}×{h}: {e}", canonical.path())))?;
        prop_assert_eq!(second.region, first.region);
        prop_assert_eq!((second.width, second.height), (first.width, first.height), "{} → {}", path, canonical.path());
        prop_assert_eq!(second.rotation, first.rotation);
        prop_assert_eq!(second.canonical(), canonical);
        // The output obeys the limits whatever the spelling.
        if let Some(mw) = l.max_width { prop_assert!(first.width <= mw); }
        if let Some(mh) = l.max_height { prop_assert!(first.height <= mh); }
        if let Some(ma) = l.max_area { prop_assert!(u64::from(first.width) * u64::from(first.height) <= ma); }
        prop_assert!(first.region.x + first.region.w <= w && first.region.y + first.region.h <= h);
        prop_assert!(first.width > 0 && first.height > 0);
    }

    #[test]
    fn errors_are_4xx_or_501_and_name_a_segment((v, path) in request(), w in image_side(), h in image_side(), l in limits()) {
        if let Ok(Route::Image(req)) = parse_path(v, &path)
            && let Err(e) = resolve(&req, w, h, &l)
        {
            prop_assert!(e.status == 400 || e.status == 501, "{}", e);
            prop_assert!(matches!(e.segment, Segment::Region | Segment::Size), "{}", e);
            prop_assert!(!e.reason.is_empty());
        }
    }

    #[test]
    fn arbitrary_paths_never_panic(v in version(), path in "\\PC{0,80}", w in 1u32..=100_000, h in 1u32..=100_000) {
        if let Ok(Route::Image(req)) = parse_path(v, &path) {
            let _ = resolve(&req, w, h, &Limits::default());
        }
    }

    #[test]
    fn near_miss_paths_never_panic(v in version(), path in "[a-z0-9%:]{1,12}(/[a-z0-9^!,.:]{0,14}){0,6}") {
        let _ = parse_path(v, &path);
    }
}
