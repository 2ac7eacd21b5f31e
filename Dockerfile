# syntax=docker/dockerfile:1
# The origin's container (`tessella serve`), e.g. for AWS Fargate behind a load balancer. Configured only by
# environment variables (TESSELLA_*, AWS_*): see "Conversion at scale" in README.md.
#
#   docker build -t tessella .
#   docker run --rm -p 8080:8080 tessella                       # serves the sample images
#   docker run --rm -p 8080:8080 -e TESSELLA_SOURCE__KIND=s3 -e TESSELLA_SOURCE__BUCKET=my-derivatives \
#     -e AWS_REGION=us-east-1 -e AWS_ACCESS_KEY_ID=... -e AWS_SECRET_ACCESS_KEY=... tessella
#
# Build and run on the same Debian release, so the binary finds the glibc it was linked against.

FROM rust:1.95-slim-trixie AS build
# A C compiler for OpenJPEG (openjpeg-sys builds its bundled source) and for aws-lc (TLS to S3).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc g++ make cmake pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The registry and target folders are cache mounts: a rebuild after a source change recompiles only Tessella.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p tessella-origin --bin tessella \
 && cp target/release/tessella /usr/local/bin/tessella

FROM debian:trixie-slim
# CA roots for HTTPS to S3; nothing else is needed at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/tessella tessella
COPY --from=build /usr/local/bin/tessella /usr/local/bin/tessella
# `tessella serve` with no source configured serves ./samples.
COPY --chown=tessella samples /srv/tessella/samples
WORKDIR /srv/tessella
USER tessella
# Two glibc malloc arenas instead of one per core's worth of threads: tokio's blocking threads each render
# a request, and with an arena each the resident size grows far past what is in use (BENCHMARKS.md,
# "Memory": at 16 connections 117 → 44 MB on JP2 tiles, 386 → 206 MB on /full/1024, same throughput).
ENV TESSELLA_LISTEN=0.0.0.0:8080 \
    TESSELLA_LOG=info \
    MALLOC_ARENA_MAX=2
EXPOSE 8080
# tessella stops gracefully on SIGTERM (what ECS sends before it stops a task): requests in flight finish.
ENTRYPOINT ["/usr/local/bin/tessella"]
CMD ["serve"]
