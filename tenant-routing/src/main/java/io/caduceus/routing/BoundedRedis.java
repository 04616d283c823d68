package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis client whose commands fail when Redis has not answered within a deadline. Redis answers in well under
 * a millisecond; one that is hung or cut off by the network would otherwise hold every request behind it for as
 * long as TCP takes to give up, while each user of Redis has a fallback that serves better than the wait.
 */
public final class BoundedRedis implements Redis {

  private final Redis delegate;
  private final long deadlineMs;

  public BoundedRedis(Redis delegate, Duration deadline) {
    this.delegate = delegate;
    this.deadlineMs = Math.max(1, deadline.toMillis());
  }

  /** A dedicated connection, unbounded: its user owns it and its lifetime (a deadline here would leak it). */
  @Override
  public Future<RedisConnection> connect() {
    return delegate.connect();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Future<Response> send(Request command) {
    return delegate.send(command).timeout(deadlineMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return delegate.batch(commands).timeout(deadlineMs, TimeUnit.MILLISECONDS);
  }
}
