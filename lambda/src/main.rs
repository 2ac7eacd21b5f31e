//! `bootstrap`: the Lambda function's executable (AWS's `provided.al2023` runtime runs `bootstrap` from the
//! root of the zip). Settings are read once per cold start; each invocation converts the records of one S3
//! event. A bad configuration fails the cold start with the variable named in the function's log.

use aws_lambda_events::event::s3::S3Event;
use lambda_runtime::{LambdaEvent, service_fn};
use tessella_lambda::{Settings, handle_checked};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    init_logging();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("tessella-lambda: {e}");
            return Err(e.into());
        }
    };
    tracing::info!(
        destination = settings.destination.url,
        format = %settings.recipe.format,
        tile = settings.recipe.tile_size,
        quality = settings.recipe.jpeg_quality,
        key = settings.key_template,
        "ready"
    );
    let settings = &settings;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<S3Event>| async move {
        // `errorType` names what failed (the default would be a Rust type name); the message names each
        // failed record.
        handle_checked(&event.payload, settings).await.map_err(|e| lambda_runtime::Diagnostic {
            error_type: "TessellaRecordsFailed".to_string(),
            error_message: e.to_string(),
        })
    }))
    .await
}

/// Logs as Lambda's advanced logging controls ask (`AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG`, else `info`;
/// `AWS_LAMBDA_LOG_FORMAT=JSON` for JSON lines), without colours or timestamps: CloudWatch adds its own.
fn init_logging() {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let level = var("AWS_LAMBDA_LOG_LEVEL").or_else(|| var("RUST_LOG")).unwrap_or_else(|| "info".into());
    let filter = tracing_subscriber::EnvFilter::try_new(level.to_lowercase())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs =
        tracing_subscriber::fmt().with_ansi(false).without_time().with_target(false).with_env_filter(filter);
    if var("AWS_LAMBDA_LOG_FORMAT").is_some_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().init();
    } else {
        logs.init();
    }
}
