#!/usr/bin/env python3
"""Offline checks of what deploy/ contains, with no cluster and no registry.

Kubernetes: every overlay is rendered with `kubectl kustomize` and each object is checked against the shape of
the API version it names: the fields each kind allows (a misspelt `readinesProbe` is an error, not a silently
ignored key), required fields and their types, DNS-1123 names. Then the objects are checked against each other:
selectors select the pod templates they mean, PDBs, HPAs, Services and NetworkPolicies point at workloads that
exist, every ConfigMap and Secret a pod reads exists in the render or is one the overlay documents as created by
the operator, and every workload has probes, resource requests and limits and runs as non-root.

Monitoring and backups: PodMonitors select pods and name ports they have; alert rules and the Grafana dashboard's
queries are well formed and use only the marketplace metrics the services define (read from src/: a renamed meter
fails here, not silently in production); a CloudNativePG Cluster with backups archives WAL to object storage with a
retention policy and its credentials exist, and every ScheduledBackup names a Cluster with backups and a valid schedule.

Connections: PostgreSQL's max_connections (a Cluster's parameters, or a postgres container's "-c max_connections=")
covers what the services may open with every deployment at its HPA's maxReplicas: per replica and database, the pool's
cap (MessagingExtensions.DefaultMaxPoolSize, read from src/) and the unpooled sessions besides it.

Dockerfiles: multi-stage, pinned base images, no ADD, a non-root USER and a HEALTHCHECK in the final stage,
exec-form ENTRYPOINT/CMD, package installs without caches or recommends.

Prints one line per finding and exits 1 when there is any.
"""
import functools
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

# Secrets the production overlay leaves to the operator (deploy/README.md says how to create them).
EXTERNAL_SECRETS = {
    "production": {"marketplace-databases", "marketplace-rabbitmq", "marketplace-stripe", "marketplace-whatsapp", "marketplace-email", "marketplace-keys", "marketplace-web-keys",
                   "marketplace-backup-s3", "postgres-app", "rabbitmq-default-user"},
}

API_VERSIONS = {
    "Deployment": "apps/v1", "StatefulSet": "apps/v1", "Service": "v1", "ConfigMap": "v1", "Secret": "v1",
    "ServiceAccount": "v1", "PersistentVolumeClaim": "v1", "Job": "batch/v1", "PodDisruptionBudget": "policy/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2", "Ingress": "networking.k8s.io/v1", "NetworkPolicy": "networking.k8s.io/v1",
    "Cluster": "postgresql.cnpg.io/v1", "ScheduledBackup": "postgresql.cnpg.io/v1", "RabbitmqCluster": "rabbitmq.com/v1beta1",
    "PodMonitor": "monitoring.coreos.com/v1", "PrometheusRule": "monitoring.coreos.com/v1",
}

# The fields each part of a manifest may have (from the Kubernetes API reference of the versions above).
OBJECT_FIELDS = {"apiVersion", "kind", "metadata", "spec", "data", "stringData", "type", "immutable"}
METADATA_FIELDS = {"name", "namespace", "labels", "annotations"}
DEPLOYMENT_SPEC = {"replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "paused"}
STATEFULSET_SPEC = {"replicas", "selector", "template", "serviceName", "volumeClaimTemplates", "podManagementPolicy", "updateStrategy",
                    "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals"}
JOB_SPEC = {"template", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "completions", "parallelism", "selector",
            "manualSelector", "suspend", "podFailurePolicy", "completionMode", "backoffLimitPerIndex", "maxFailedIndexes", "podReplacementPolicy"}
POD_SPEC = {"containers", "initContainers", "volumes", "securityContext", "serviceAccountName", "automountServiceAccountToken", "restartPolicy",
            "terminationGracePeriodSeconds", "topologySpreadConstraints", "affinity", "nodeSelector", "tolerations", "priorityClassName",
            "imagePullSecrets", "enableServiceLinks", "hostname", "subdomain", "dnsPolicy", "activeDeadlineSeconds"}
CONTAINER = {"name", "image", "imagePullPolicy", "command", "args", "workingDir", "ports", "env", "envFrom", "resources", "volumeMounts",
             "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "securityContext", "terminationMessagePath",
             "terminationMessagePolicy", "stdin", "tty"}
PROBE = {"httpGet", "tcpSocket", "exec", "grpc", "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold",
         "terminationGracePeriodSeconds"}
SERVICE_SPEC = {"selector", "ports", "type", "clusterIP", "sessionAffinity", "externalTrafficPolicy", "internalTrafficPolicy", "publishNotReadyAddresses"}
PDB_SPEC = {"selector", "minAvailable", "maxUnavailable", "unhealthyPodEvictionPolicy"}
HPA_SPEC = {"scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior"}
INGRESS_SPEC = {"ingressClassName", "rules", "tls", "defaultBackend"}
NETPOL_SPEC = {"podSelector", "policyTypes", "ingress", "egress"}
PODMONITOR_SPEC = {"selector", "podMetricsEndpoints", "podTargetLabels", "namespaceSelector", "jobLabel", "sampleLimit"}
PODMETRICS_ENDPOINT = {"port", "path", "params", "interval", "scrapeTimeout", "scheme", "relabelings", "metricRelabelings", "honorLabels"}
RULE_FIELDS = {"alert", "record", "expr", "for", "labels", "annotations", "keep_firing_for"}
DURATION = re.compile(r"^([0-9]+(ms|s|m|h|d|w|y))+$")
SEVERITIES = {"critical", "warning", "info"}
# Ports the RabbitMQ Cluster Operator gives its pods.
RABBITMQ_PORTS = {"amqp", "management", "prometheus", "epmd", "cluster-links"}

findings = []


def fail(where, message):
    findings.append(f"{where}: {message}")


def only(where, value, allowed):
    if not isinstance(value, dict):
        fail(where, f"expected a mapping, found {type(value).__name__}")
        return
    for key in value:
        if key not in allowed:
            fail(where, f"unknown field '{key}'")


def need(where, value, key, kind):
    if not isinstance(value, dict) or key not in value:
        fail(where, f"'{key}' is required")
        return None
    if not isinstance(value[key], kind):
        fail(where, f"'{key}' should be {kind.__name__ if isinstance(kind, type) else kind}")
        return None
    return value[key]


def check_probe(where, probe):
    only(where, probe, PROBE)
    if not any(k in probe for k in ("httpGet", "tcpSocket", "exec", "grpc")):
        fail(where, "a probe needs httpGet, tcpSocket, exec or grpc")


def check_pod(where, template, workload_kind):
    only(f"{where}.template", template, {"metadata", "spec"})
    spec = need(f"{where}.template", template, "spec", dict) or {}
    only(f"{where}.template.spec", spec, POD_SPEC)
    pod_security = spec.get("securityContext", {})
    for i, container in enumerate(need(f"{where}.template.spec", spec, "containers", list) or []):
        at = f"{where}.containers[{i}]"
        only(at, container, CONTAINER)
        need(at, container, "name", str)
        image = need(at, container, "image", str)
        if image and (image.endswith(":latest")):
            fail(at, f"image '{image}' is not pinned (':latest')")
        resources = container.get("resources", {})
        if "memory" not in resources.get("requests", {}) or "memory" not in resources.get("limits", {}):
            fail(at, "memory request and limit are required")
        if "cpu" not in resources.get("requests", {}):
            fail(at, "a cpu request is required")
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            if probe in container:
                check_probe(f"{at}.{probe}", container[probe])
        if workload_kind == "Deployment":
            for probe in ("livenessProbe", "readinessProbe"):
                if probe not in container:
                    fail(at, f"{probe} is required")
        if not (container.get("securityContext", {}).get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
            fail(at, "must run as non-root (runAsNonRoot)")
        for port in container.get("ports", []):
            if not isinstance(port.get("containerPort"), int):
                fail(at, "containerPort must be an integer")
    return spec


def references(spec):
    """ConfigMaps and Secrets a pod reads."""
    config_maps, secrets = set(), set()
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                config_maps.add(source["configMapRef"]["name"])
            if "secretRef" in source:
                secrets.add(source["secretRef"]["name"])
        for variable in container.get("env", []):
            source = variable.get("valueFrom", {})
            if "secretKeyRef" in source:
                secrets.add(source["secretKeyRef"]["name"])
            if "configMapKeyRef" in source:
                config_maps.add(source["configMapKeyRef"]["name"])
    for volume in spec.get("volumes", []):
        if "secret" in volume:
            secrets.add(volume["secret"]["secretName"])
        if "configMap" in volume:
            config_maps.add(volume["configMap"]["name"])
    return config_maps, secrets


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items()) and all(
        (labels.get(e["key"]) in e.get("values", [])) if e["operator"] == "In" else True for e in selector.get("matchExpressions") or [])


def check_overlay(overlay):
    name = overlay.name
    rendered = subprocess.run(["kubectl", "kustomize", str(overlay)], capture_output=True, text=True)
    if rendered.returncode != 0:
        fail(name, "does not render: " + rendered.stderr.strip())
        return 0
    objects = [o for o in yaml.safe_load_all(rendered.stdout) if o]
    by_kind = {}
    pods = []  # (workload name, template labels, pod spec)
    for o in objects:
        kind, meta = o.get("kind"), o.get("metadata", {})
        where = f"{name}/{kind}/{meta.get('name')}"
        only(where, o, OBJECT_FIELDS)
        only(f"{where}.metadata", meta, METADATA_FIELDS)
        if kind not in API_VERSIONS:
            fail(where, f"kind {kind} is not one this check knows")
        elif o.get("apiVersion") != API_VERSIONS[kind]:
            fail(where, f"apiVersion {o.get('apiVersion')} (expected {API_VERSIONS[kind]})")
        if not DNS1123.match(str(meta.get("name", ""))):
            fail(where, "metadata.name is not a DNS-1123 name")
        by_kind.setdefault(kind, {})[meta.get("name")] = o
        spec = o.get("spec", {})
        if kind in ("Deployment", "StatefulSet"):
            only(f"{where}.spec", spec, DEPLOYMENT_SPEC if kind == "Deployment" else STATEFULSET_SPEC)
            selector = need(f"{where}.spec", spec, "selector", dict) or {}
            template = need(f"{where}.spec", spec, "template", dict) or {}
            labels = template.get("metadata", {}).get("labels", {})
            if not selects(selector, labels):
                fail(where, "spec.selector does not select the pod template's labels")
            pods.append((meta["name"], labels, check_pod(f"{where}.spec", template, kind)))
        elif kind == "Job":
            only(f"{where}.spec", spec, JOB_SPEC)
            template = need(f"{where}.spec", spec, "template", dict) or {}
            pod = check_pod(f"{where}.spec", template, kind)
            if pod.get("restartPolicy") not in ("Never", "OnFailure"):
                fail(where, "a Job's restartPolicy is Never or OnFailure")
            pods.append((meta["name"], template.get("metadata", {}).get("labels", {}), pod))
        elif kind == "Cluster":
            # The operator makes the pods; they carry the labels the Cluster hands down.
            pods.append((meta["name"], spec.get("inheritedMetadata", {}).get("labels", {}), {}))
        elif kind == "RabbitmqCluster":
            template = spec.get("override", {}).get("statefulSet", {}).get("spec", {}).get("template", {})
            # The operator labels its pods with the cluster's name, besides what the override adds.
            labels = {"app.kubernetes.io/name": meta["name"], **template.get("metadata", {}).get("labels", {})}
            pods.append((meta["name"], labels, {"rabbitmq": True}))
        elif kind == "Service":
            only(f"{where}.spec", spec, SERVICE_SPEC)
            for port in need(f"{where}.spec", spec, "ports", list) or []:
                if not isinstance(port.get("port"), int):
                    fail(where, "service port must be an integer")
        elif kind == "PodDisruptionBudget":
            only(f"{where}.spec", spec, PDB_SPEC)
        elif kind == "HorizontalPodAutoscaler":
            only(f"{where}.spec", spec, HPA_SPEC)
            if not isinstance(spec.get("maxReplicas"), int) or spec.get("minReplicas", 1) > spec.get("maxReplicas", 0):
                fail(where, "minReplicas must not exceed maxReplicas")
        elif kind == "Ingress":
            only(f"{where}.spec", spec, INGRESS_SPEC)
        elif kind == "NetworkPolicy":
            only(f"{where}.spec", spec, NETPOL_SPEC)
        elif kind == "PodMonitor":
            only(f"{where}.spec", spec, PODMONITOR_SPEC)
            for i, endpoint in enumerate(need(f"{where}.spec", spec, "podMetricsEndpoints", list) or []):
                only(f"{where}.podMetricsEndpoints[{i}]", endpoint, PODMETRICS_ENDPOINT)
                if "interval" in endpoint and not DURATION.match(str(endpoint["interval"])):
                    fail(where, f"interval '{endpoint['interval']}' is not a duration")
        elif kind == "PrometheusRule":
            check_rules(where, spec)
        elif kind == "ConfigMap" and (meta.get("labels") or {}).get("grafana_dashboard") == "1":
            for key, text in (o.get("data") or {}).items():
                check_dashboard(f"{where}/{key}", text)

    # The objects against each other.
    for kind, field in (("Service", "selector"), ("PodDisruptionBudget", "selector")):
        for object_name, o in by_kind.get(kind, {}).items():
            selector = o["spec"].get(field) or {}
            selector = selector if "matchLabels" in selector or "matchExpressions" in selector else {"matchLabels": selector}
            if selector.get("matchLabels") or selector.get("matchExpressions"):
                if not any(selects(selector, labels) for _, labels, _ in pods):
                    fail(f"{name}/{kind}/{object_name}", "selects no pod template")
    for object_name, o in by_kind.get("HorizontalPodAutoscaler", {}).items():
        target = o["spec"]["scaleTargetRef"]
        if target["name"] not in by_kind.get(target["kind"], {}):
            fail(f"{name}/HorizontalPodAutoscaler/{object_name}", f"scales {target['kind']} {target['name']}, which does not exist")
    for object_name, o in by_kind.get("NetworkPolicy", {}).items():
        selector = o["spec"].get("podSelector", {})
        if (selector.get("matchLabels") or selector.get("matchExpressions")) and not any(selects(selector, labels) for _, labels, _ in pods):
            fail(f"{name}/NetworkPolicy/{object_name}", "applies to no pod")
    for object_name, o in by_kind.get("Ingress", {}).items():
        for rule in o["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                service = path["backend"]["service"]["name"]
                if service not in by_kind.get("Service", {}):
                    fail(f"{name}/Ingress/{object_name}", f"routes to Service {service}, which does not exist")
    for object_name, o in by_kind.get("PodMonitor", {}).items():
        selector = o["spec"].get("selector", {})
        selected = [(w, spec) for w, labels, spec in pods if selects(selector, labels)]
        if not selected:
            fail(f"{name}/PodMonitor/{object_name}", "selects no pod template")
        for endpoint in o["spec"].get("podMetricsEndpoints", []):
            for workload, spec in selected:
                ports = RABBITMQ_PORTS if spec.get("rabbitmq") else {p.get("name") for c in spec.get("containers", []) for p in c.get("ports", [])}
                if endpoint.get("port") not in ports:
                    fail(f"{name}/PodMonitor/{object_name}", f"scrapes port '{endpoint.get('port')}', which {workload}'s pods do not name")
    clusters = by_kind.get("Cluster", {})
    for object_name, o in clusters.items():
        check_cluster_backup(f"{name}/Cluster/{object_name}", o["spec"], set(by_kind.get("Secret", {})) | EXTERNAL_SECRETS.get(name, set()))
    for object_name, o in by_kind.get("ScheduledBackup", {}).items():
        where = f"{name}/ScheduledBackup/{object_name}"
        spec = o.get("spec", {})
        only(f"{where}.spec", spec, {"schedule", "cluster", "backupOwnerReference", "immediate", "suspend", "method", "target", "online", "pluginConfiguration"})
        cluster = (spec.get("cluster") or {}).get("name")
        if cluster not in clusters:
            fail(where, f"backs up Cluster {cluster}, which does not exist")
        elif spec.get("method", "barmanObjectStore") == "barmanObjectStore" and "backup" not in clusters[cluster]["spec"]:
            fail(where, f"Cluster {cluster} has no backup configuration (spec.backup) to write to")
        # CloudNativePG's schedules have six fields: seconds first ("0 0 19 * * *"), unlike cron's five.
        if len(str(spec.get("schedule", "")).split()) != 6:
            fail(where, f"schedule '{spec.get('schedule')}' does not have six fields (seconds minutes hours day month weekday)")
    if name == "production":
        if not clusters:
            fail(name, "no CloudNativePG Cluster")
        if not any((o["spec"].get("cluster") or {}).get("name") in clusters for o in by_kind.get("ScheduledBackup", {}).values()):
            fail(name, "no ScheduledBackup of the production Cluster")
    check_connections(name, by_kind)
    external = EXTERNAL_SECRETS.get(name, set())
    for workload, _, spec in pods:
        config_maps, secrets = references(spec)
        for missing in sorted(config_maps - set(by_kind.get("ConfigMap", {}))):
            fail(f"{name}/{workload}", f"reads ConfigMap {missing}, which is not in the render")
        for missing in sorted(secrets - set(by_kind.get("Secret", {})) - external):
            fail(f"{name}/{workload}", f"reads Secret {missing}, which is neither in the render nor created by the operator")
    return len(objects)


# Per replica and database, the sessions outside the pool: a notification listener per DbContext with an outbox (Orders
# has two on its database) and the payment sweep's lock. Two DbContexts on one database share one pool (Npgsql pools
# by connection string, and theirs are the same).
UNPOOLED_PER_DATABASE = 3
# PostgreSQL's superuser_reserved_connections: slots ordinary roles cannot take.
RESERVED_CONNECTIONS = 3
# PostgreSQL's max_connections where a manifest does not set it.
DEFAULT_MAX_CONNECTIONS = 100


@functools.cache
def pool_size():
    source = (ROOT / "src/ServiceDefaults/Messaging/MessagingExtensions.cs").read_text()
    found = re.search(r"DefaultMaxPoolSize\s*=\s*(\d+)", source)
    if not found:
        fail("src/ServiceDefaults", "MessagingExtensions.DefaultMaxPoolSize not found")
        return 0
    return int(found.group(1))


def check_connections(name, by_kind):
    """The connections the services may open at their maxReplicas against the database's max_connections."""
    allowed = []
    for cluster in by_kind.get("Cluster", {}).values():
        value = ((cluster["spec"].get("postgresql") or {}).get("parameters") or {}).get("max_connections")
        allowed.append(int(value) if value else DEFAULT_MAX_CONNECTIONS)
    for statefulset in by_kind.get("StatefulSet", {}).values():
        for container in statefulset["spec"]["template"]["spec"].get("containers", []):
            if str(container.get("image", "")).startswith("postgres:"):
                arguments = " ".join(str(a) for a in container.get("args", []))
                found = re.search(r"max_connections=(\d+)", arguments)
                allowed.append(int(found.group(1)) if found else DEFAULT_MAX_CONNECTIONS)
    if not allowed:
        return
    pool = pool_size()
    max_replicas = {o["spec"]["scaleTargetRef"]["name"]: o["spec"]["maxReplicas"] for o in by_kind.get("HorizontalPodAutoscaler", {}).values()}
    needed, parts = 0, []
    for kind in ("Deployment", "Job"):
        for workload, o in by_kind.get(kind, {}).items():
            names = {e["name"] for c in o["spec"]["template"]["spec"].get("containers", []) for e in c.get("env", []) if re.fullmatch(r"ConnectionStrings__\w+db", e["name"])}
            if not names:
                continue
            replicas = max_replicas.get(workload, o["spec"].get("replicas", 1)) if kind == "Deployment" else 1
            each = len(names) * (pool + UNPOOLED_PER_DATABASE) if kind == "Deployment" else len(names)
            needed += replicas * each
            parts.append(f"{workload} {replicas} x {each}")
    needed += RESERVED_CONNECTIONS
    for value in allowed:
        if value < needed:
            fail(name, f"PostgreSQL allows {value} connections, the services may open {needed} at their maxReplicas ({', '.join(parts)}, {RESERVED_CONNECTIONS} reserved)")


def defined_metrics():
    """The Prometheus names of the marketplace's own metrics, as the OpenTelemetry exporter names them, and of their tags."""
    names, labels = set(), set()
    tag = re.compile(r'KeyValuePair<string, object\?>\("(marketplace\.[^"]+)"')
    call = re.compile(r'Create(Counter|UpDownCounter|Histogram|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<[^>]+>)?\(\s*"(marketplace\.[^"]+)"(.*?)\);', re.S)
    for source in (ROOT / "src").rglob("*.cs"):
        text = source.read_text(errors="ignore")
        labels.update(t.replace(".", "_") for t in tag.findall(text))
        for kind, metric, rest in call.findall(text):
            unit = re.search(r'unit:\s*"([^"]*)"', rest)
            base = metric.replace(".", "_")
            if unit and unit.group(1) == "s":
                base += "_seconds"
            elif unit and unit.group(1) == "By":
                base += "_bytes"
            if kind in ("Counter", "ObservableCounter"):
                names.add(base + "_total")
            elif kind == "Histogram":
                names.update({base + "_bucket", base + "_count", base + "_sum"})
            else:
                names.add(base)
    return names, labels


METRICS = None


def check_expr(where, expr):
    global METRICS
    if METRICS is None:
        METRICS = defined_metrics()
    metrics, labels = METRICS
    if not isinstance(expr, str) or not expr.strip():
        fail(where, "an empty query")
        return
    depth = 0
    for ch in re.sub(r'"[^"]*"', "", expr):
        depth += {"(": 1, ")": -1, "{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        fail(where, f"unbalanced brackets in '{expr.strip()}'")
    for name in set(re.findall(r"\b(marketplace_[a-z0-9_]+)\b", re.sub(r'"[^"]*"', "", expr))):
        if name not in metrics and name not in labels:
            fail(where, f"uses {name}, which is neither a metric nor a tag that src/ defines")


def check_rules(where, spec):
    only(f"{where}.spec", spec, {"groups"})
    for group in need(f"{where}.spec", spec, "groups", list) or []:
        at = f"{where}/{group.get('name')}"
        only(at, group, {"name", "rules", "interval", "limit"})
        for rule in need(at, group, "rules", list) or []:
            name = rule.get("alert") or rule.get("record")
            only(f"{at}/{name}", rule, RULE_FIELDS)
            if not name:
                fail(at, "a rule needs 'alert' or 'record'")
            check_expr(f"{at}/{name}", rule.get("expr"))
            if "for" in rule and not DURATION.match(str(rule["for"])):
                fail(f"{at}/{name}", f"'for: {rule['for']}' is not a duration")
            if "alert" in rule:
                if (rule.get("labels") or {}).get("severity") not in SEVERITIES:
                    fail(f"{at}/{name}", f"severity must be one of {sorted(SEVERITIES)}")
                if not (rule.get("annotations") or {}).get("summary"):
                    fail(f"{at}/{name}", "an alert needs annotations.summary")


def check_dashboard(where, text):
    import json
    try:
        dashboard = json.loads(text)
    except ValueError as error:
        fail(where, f"not JSON: {error}")
        return
    for key in ("uid", "title", "panels"):
        if key not in dashboard:
            fail(where, f"'{key}' is required")
    ids = [p.get("id") for p in dashboard.get("panels", [])]
    if len(ids) != len(set(ids)):
        fail(where, "panel ids are not unique")
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            check_expr(f"{where}/{panel.get('title')}", target.get("expr"))


def check_cluster_backup(where, spec, secrets):
    backup = spec.get("backup")
    if backup is None:
        return
    store = backup.get("barmanObjectStore")
    if not isinstance(store, dict):
        fail(where, "spec.backup has no barmanObjectStore (object storage for base backups and WAL)")
        return
    if not re.match(r"^(s3|gs)://|^https://", str(store.get("destinationPath", ""))):
        fail(where, "barmanObjectStore.destinationPath must be an s3://, gs:// or https:// (Azure) address")
    # With an object store, CloudNativePG archives every WAL segment: the wal section says how.
    if not isinstance(store.get("wal"), dict):
        fail(where, "barmanObjectStore.wal is missing (how WAL is archived: compression, parallelism)")
    if not re.match(r"^[1-9][0-9]*[dwm]$", str(backup.get("retentionPolicy", ""))):
        fail(where, "backup.retentionPolicy must be like 30d, 4w or 3m")
    for credentials in ("s3Credentials", "googleCredentials", "azureCredentials"):
        for key, reference in (store.get(credentials) or {}).items():
            if isinstance(reference, dict) and "name" in reference and reference["name"] not in secrets:
                fail(where, f"{credentials}.{key} reads Secret {reference['name']}, which is neither in the render nor created by the operator")


def check_dockerfile(path):
    where = str(path.relative_to(ROOT))
    lines = []
    for raw in path.read_text().splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            if lines and lines[-1].endswith("\\"):
                lines[-1] = lines[-1][:-1] + " " + raw.strip()
            else:
                lines.append(raw.strip())
    stages = [i for i, line in enumerate(lines) if line.upper().startswith("FROM ")]
    if len(stages) < 2:
        fail(where, "not multi-stage (build and runtime stages)")
    for i in stages:
        image = lines[i].split()[1]
        if ":" not in image or image.endswith(":latest"):
            fail(where, f"base image '{image}' is not pinned to a tag")
    final = lines[stages[-1]:] if stages else lines
    instruction = lambda line: line.split()[0].upper()
    if not any(instruction(l) == "USER" and l.split()[1] not in ("root", "0") for l in final):
        fail(where, "the final stage sets no non-root USER")
    if not any(instruction(l) == "HEALTHCHECK" for l in final):
        fail(where, "the final stage has no HEALTHCHECK")
    for line in lines:
        if instruction(line) == "ADD":
            fail(where, "ADD fetches and unpacks implicitly; use COPY")
        if instruction(line) in ("ENTRYPOINT", "CMD") and not line.split(None, 1)[1].startswith("["):
            fail(where, f"{instruction(line)} in shell form does not pass signals; use the exec form")
        if "apk add" in line and "--no-cache" not in line:
            fail(where, "apk add without --no-cache")
        if "apt-get install" in line and "--no-install-recommends" not in line:
            fail(where, "apt-get install without --no-install-recommends")
        if instruction(line) == "RUN" and re.search(r"\bsudo\b", line):
            fail(where, "sudo in a RUN")


def main():
    for overlay in sorted((ROOT / "deploy" / "k8s" / "overlays").iterdir()):
        count = check_overlay(overlay)
        print(f"lint-deploy: {overlay.relative_to(ROOT)}: {count} objects checked")
    for dockerfile in sorted((ROOT / "deploy").rglob("Dockerfile*")):
        check_dockerfile(dockerfile)
        print(f"lint-deploy: {dockerfile.relative_to(ROOT)} checked")
    for finding in findings:
        print(f"lint-deploy: {finding}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
