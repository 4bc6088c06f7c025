// Package alert decides every alert Newswatch raises, as a pure function
// of facts (the stories a round claimed, developing stories, a topic's
// volume, the feeds' health), policies (the analyst's settings and each
// topic's policy), the state earlier rounds left, and an injected clock.
// The engine (monitor) gathers the facts, calls Decide inside the
// transaction that claims the stories, records every decision in the
// alert history, and hands the alerts to show to its front ends, which
// only deliver them.
//
// # Kinds
//
//   - New stories (KindStories): one alert per topic and round, "Ukraine —
//     3 new stories" with the newest headline; or, for a topic that
//     gathers them, one summary when its batch is due.
//   - Stories in new feeds (KindBacklog): what a newly added feed already
//     held, summed up in one alert for all topics.
//   - Developing story (KindDeveloping): a story that reached its topic's
//     escalation (N sources within T), once per story, at once.
//   - Spike (KindSpike): improbably many stories of a topic (SpikeRule),
//     once per burst, at once.
//   - Coverage (KindCoverage): a feed dead (failing for CoverageRule's
//     DeadAfter, default 6 hours, or gone) or silent (see Rhythm), once;
//     a quiet note (low urgency) when it covers the news again.
//
// # Who gets through
//
// Gate applies the analyst's switches, most specific first: a silenced
// topic (notifications off for it) holds back all it raises; desktop
// notifications off hold back everything, critical too (off means off);
// pause and quiet hours hold back everything but critical topics.
// Coverage alerts and the backlog summary have normal priority. Held
// alerts are recorded with their reason and never shown later — the
// stories are in the timeline.
//
// # Priority
//
// Normal: a notification of normal urgency. High: the same with the
// sound hint Sound ("message-new-instant" from the freedesktop sound
// theme). Critical: critical urgency (the notification stays on screen)
// and the sound; the only priority that passes quiet hours and pause.
//
// # Delivery
//
// A topic's new stories are delivered at once (Now, the default: one
// notification per round), at most once per interval (Every: the first
// stories after a quiet interval are shown at once, what follows within
// the interval is gathered and summed up in one notification when it
// ends), or as a digest at set local times (Digest: gathered until the
// next time; a time the clocks skip comes as late as the skip, a time
// they pass twice comes once). Gathered alerts are recorded as pending
// with their due time, so a restart or a crash loses none; a summary is
// gated when it is due. A topic switched back to Now has its pending
// alerts summed up at the next round. Silenced topics and notifications
// off hold back at once (nothing to sum up later). Developing stories,
// spikes and coverage alerts are never gathered: they are the reasons to
// interrupt.
package alert
