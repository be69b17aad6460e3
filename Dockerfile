# syntax=docker/dockerfile:1
#
# shipdate in a container, for teams that build on their own CI or serve the
# internal site on the intranet (docs/deployment.md):
#
#   docker build -t shipdate .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" shipdate build --audience internal
#
# Two stages: the first compiles, the second is a slim Debian with only the
# binary, git (schedule history, `shipdate diff`) and CA certificates, run
# as an unprivileged user.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
 && cp target/release/shipdate /usr/local/bin/shipdate

FROM debian:bookworm-slim
# The site is mounted from the host, owned by another user: git is told to
# read it anyway (safe.directory), else history and `diff` are off.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*' \
 && useradd --system --uid 10001 --user-group --create-home --home-dir /home/shipdate shipdate
COPY --from=build /usr/local/bin/shipdate /usr/local/bin/shipdate
USER 10001:10001
WORKDIR /site
ENTRYPOINT ["shipdate"]
CMD ["build"]
