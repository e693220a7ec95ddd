#!/usr/bin/env bash
# Builds the services' OCI images with Jib (through Quarkus; no Docker daemon) and pushes them.
#
#   deploy/images/build.sh [service ...]          all five when none are named
#
# Environment:
#   REGISTRY         where to push (default localhost:5000)
#   INSECURE         true for a plain-HTTP registry (default true when REGISTRY is localhost:*)
#   JVM_BASE         base of the four JVM services (default: each service's application.properties,
#                    eclipse-temurin:25-jre); "tar:///path/base.tar" uses a base saved as a tar
#   LIBVIPS_BASE     base of image-service (default: ghcr.io/stowage/java25-libvips:8.14, built from
#                    deploy/images/java25-libvips/Dockerfile)
#   OFFLINE          true: run Maven offline (-o)
#
# Without a registry that can hand out the bases (machines that reach only Maven Central), use
# JVM_BASE=scratch LIBVIPS_BASE=scratch against a local registry to prove the build and the push;
# such images carry the application layers but no Java, so they only prove the pipeline.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

registry="${REGISTRY:-localhost:5000}"
case "$registry" in
  localhost:*|127.0.0.1:*) insecure="${INSECURE:-true}" ;;
  *) insecure="${INSECURE:-false}" ;;
esac
services=("$@")
if [ ${#services[@]} -eq 0 ]; then
  services=(metadata-service signing-service upload-service image-service gateway-service)
fi
maven=(./mvnw -B)
if [ "${OFFLINE:-false}" = true ]; then
  maven+=(-o)
fi

for service in "${services[@]}"; do
  args=(
    -f "$service/pom.xml" package -DskipTests
    -Dquarkus.container-image.build=true
    -Dquarkus.container-image.push=true
    -Dquarkus.container-image.registry="$registry"
    -Dquarkus.container-image.insecure="$insecure"
  )
  if [ "$service" = image-service ]; then
    if [ -n "${LIBVIPS_BASE:-}" ]; then args+=(-Dquarkus.jib.base-jvm-image="$LIBVIPS_BASE"); fi
  elif [ -n "${JVM_BASE:-}" ]; then
    args+=(-Dquarkus.jib.base-jvm-image="$JVM_BASE")
  fi
  echo "== $service -> $registry/stowage/$service"
  "${maven[@]}" "${args[@]}"
done
