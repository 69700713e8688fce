#!/usr/bin/env bash
# Renders every Kustomize overlay offline (no cluster needed), then lints what they render and the Dockerfile;
# a manifest that does not render or check fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v kubectl >/dev/null 2>&1; then
  echo "check-deploy: kubectl not found; the Kubernetes manifests were not rendered." >&2
  exit 0
fi
for overlay in deploy/k8s/overlays/*/; do
  kinds=$(kubectl kustomize "$overlay" | grep -c '^kind:')
  echo "check-deploy: ${overlay} renders ${kinds} objects"
done
# Then the rendered objects' shape and references, and the Dockerfile's rules (scripts/lint-deploy.py).
if python3 -c 'import yaml' 2>/dev/null; then
  python3 scripts/lint-deploy.py
else
  echo "check-deploy: python3 with PyYAML (python3-yaml) not found; the manifests and Dockerfile were not linted." >&2
fi
