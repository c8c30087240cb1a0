/**
 * The live contract: what the job ({@code flink-jobs}) writes to Redis and publishes, and what the
 * dashboard relay ({@code dashboard-relay}) and its page read back. Defined once here; both sides
 * use these constants and builders instead of their own literals, and {@code
 * io.sysmonstm.local.LiveContractIT} checks that the job's writers and the relay's readers agree
 * against a real Redis.
 *
 * <h2>Redis keys ({@link io.sysmonstm.live.RedisKeys})</h2>
 *
 * <table>
 *   <caption>Keys and channels</caption>
 *   <tr><th>key</th><th>type</th><th>written by</th><th>content</th></tr>
 *   <tr><td>{@code sysmonstm:hosts}</td><td>sorted set</td><td>live sink</td>
 *       <td>member host id, score its newest snapshot's event time (epoch ms); only moves
 *       forward ({@code ZADD GT}); no expiry</td></tr>
 *   <tr><td>{@code sysmonstm:host:{host_id}}</td><td>hash</td><td>live sink</td>
 *       <td>the host facts and the newest value of every series ({@link
 *       io.sysmonstm.live.HostFields}); expires after the job's {@code --live-ttl} (default
 *       {@link io.sysmonstm.live.RedisKeys#DEFAULT_LIVE_TTL}) of silence, renewed every tenth of
 *       it, so up to a refresh later</td></tr>
 *   <tr><td>{@code sysmonstm:recent:{host_id}}</td><td>stream</td><td>live sink</td>
 *       <td>one entry per snapshot, id {@code <event time ms>-0}, one field per series key with
 *       its value; trimmed to {@link io.sysmonstm.live.RedisKeys#RECENT_WINDOW} behind the newest
 *       entry; same expiry as the hash</td></tr>
 *   <tr><td>{@code sysmonstm:alerts:active}</td><td>hash</td><td>alert sink</td>
 *       <td>field the alert's fingerprint, value its firing event's JSON ({@link
 *       io.sysmonstm.live.AlertFields}); a resolve removes the field only when the stored event
 *       has the same {@code starts_at}</td></tr>
 *   <tr><td>{@code sysmonstm:live}</td><td>channel</td><td>live sink</td>
 *       <td>one host message per snapshot</td></tr>
 *   <tr><td>{@code sysmonstm:alerts}</td><td>channel</td><td>alert sink</td>
 *       <td>one alert message per transition (retro ones too)</td></tr>
 * </table>
 *
 * <h2>Values</h2>
 *
 * Every number in a hash or a stream entry is a decimal string: integers as such, values as the
 * shortest decimal that parses back to the same double. A series key is the metric, followed by its
 * attributes as canonical JSON when it has any ({@link io.sysmonstm.live.SeriesKeys}).
 *
 * <h2>Messages</h2>
 *
 * Both channels carry one JSON object per message whose field {@value
 * io.sysmonstm.live.Messages#TYPE} tells them apart: {@value io.sysmonstm.live.Messages#HOST}
 * (fields in {@link io.sysmonstm.live.HostFields}) or {@value io.sysmonstm.live.Messages#ALERT}
 * (fields in {@link io.sysmonstm.live.AlertFields}). The relay forwards them to {@code /ws}
 * unchanged; its {@code /api/hosts} items and {@code /api/alerts} events use the same field names,
 * so the page merges what it loads with what it is pushed.
 */
package io.sysmonstm.live;
