package io.sysmonstm.collector;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.sysmonstm.config.Setting;
import java.io.IOException;

/** Opens the channel to ingress that the configuration describes (plain text or TLS). */
final class IngressChannel {
  private IngressChannel() {}

  static ManagedChannel open(CollectorConfig cfg) {
    ChannelCredentials credentials = InsecureChannelCredentials.create();
    if (cfg.tls()) {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      if (cfg.tlsCa().isPresent()) {
        try {
          tls.trustManager(cfg.tlsCa().get().toFile());
        } catch (IOException | RuntimeException e) {
          throw CollectorConfig.TLS_CA.invalid(
              "'" + cfg.tlsCa().get() + "' is not a PEM file of CA certificates");
        }
      }
      credentials = tls.build();
    }
    String host = cfg.ingressHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return Grpc.newChannelBuilderForAddress(host, cfg.ingressPort(), credentials)
          .userAgent("sysmonstm-collector/" + Collector.VERSION)
          .build();
    } catch (RuntimeException e) {
      // gRPC reports credentials it cannot use (a CA file that is not PEM) only here
      Setting<?> setting =
          cfg.tlsCa().isPresent() ? CollectorConfig.TLS_CA : CollectorConfig.INGRESS;
      throw setting.invalid("cannot set up a channel to " + cfg.ingress());
    }
  }
}
