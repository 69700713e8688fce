#!/usr/bin/env bash
# Renders every Kustomize overlay offline (no cluster needed); a manifest that does not render fails CI.
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
