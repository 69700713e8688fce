using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Marketplace.ServiceDefaults.Telemetry;

/// <summary>
/// Records every trace a request or a message starts, but not a query or an outgoing call that nothing started: those
/// are the background loops' polls (the outbox dispatcher looking for work every few seconds, the sweeps), which
/// would otherwise fill the trace viewer with one-span traces and cost CPU on an idle service. Their children follow
/// them (parent-based), so a poll that finds work and publishes still shows, as the publish's own trace.
/// </summary>
internal sealed class BackgroundPollSampler : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client
            ? new SamplingResult(SamplingDecision.Drop)
            : new SamplingResult(SamplingDecision.RecordAndSample);
}
