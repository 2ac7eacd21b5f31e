#!/usr/bin/env python3
"""A TCP relay that adds a fixed one-way delay in each direction: the fallback for netem.

When the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM unset, as on this project's machine), regions.sh
puts this relay on the far side of a namespace link (whose bandwidth tc tbf still limits, in the kernel):

    viewer ──veth (tbf rate)──▶ relay (+delay each way) ──loopback──▶ origin

Each chunk read is forwarded `delay` later, in order, without holding back the chunks behind it (a
propagation delay, not a bandwidth limit). A new connection first waits one round trip (2 × delay), the
cost of TCP's handshake over the far link. What it does not model: TCP's congestion window over a long
path (the relay's own sockets see a near-zero round trip), and loss.

    delay_relay.py --listen 10.203.1.1:9000 --upstream 127.0.0.1:8080 --one-way-ms 35
"""

from __future__ import annotations

import argparse
import asyncio


async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    async def read() -> None:
        while True:
            try:
                data = await reader.read(256 * 1024)
            except (ConnectionError, OSError):
                data = b""
            await queue.put((loop.time() + delay, data))
            if not data:
                return

    async def write() -> None:
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                return

    await asyncio.gather(read(), write())


async def serve(listen: str, upstream: str, delay: float) -> None:
    up_host, up_port = upstream.rsplit(":", 1)

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            await asyncio.sleep(2 * delay)  # the handshake's round trip over the far link
            server_r, server_w = await asyncio.open_connection(up_host, int(up_port))
        except OSError:
            client_w.close()
            return
        try:
            await asyncio.gather(pump(client_r, server_w, delay), pump(server_r, client_w, delay))
        finally:
            for w in (server_w, client_w):
                w.close()

    host, port = listen.rsplit(":", 1)
    server = await asyncio.start_server(handle, host, int(port), backlog=1024)
    async with server:
        await server.serve_forever()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--listen", required=True)
    p.add_argument("--upstream", required=True)
    p.add_argument("--one-way-ms", type=float, required=True)
    args = p.parse_args()
    asyncio.run(serve(args.listen, args.upstream, args.one_way_ms / 1000))


if __name__ == "__main__":
    main()
