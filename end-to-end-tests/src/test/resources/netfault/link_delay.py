#!/usr/bin/env python3
"""Holds every packet nftables/iptables queue to it (NFQUEUE) for a fixed delay, then accepts it: netem's 'delay'
in user space, for kernels built without sch_netem. LossyLinkIT runs one inside each device's network namespace.

Usage: link_delay.py QUEUE_NUM DELAY_MS. Prints 'ready' once bound to the queue, then runs until killed. Speaks
nfnetlink_queue (linux/netfilter/nfnetlink_queue.h) with the standard library only: bind, copy metadata only, and a
verdict per packet id; packets leave in the order they came.
"""
import socket
import struct
import sys
import time
import heapq
import select

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NF_ACCEPT = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def message(kind, queue, attrs, flags=NLM_F_REQUEST):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, flags, 0, 0) + body


def main():
    queue, delay = int(sys.argv[1]), int(sys.argv[2]) / 1000.0
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.send(message(NFQNL_MSG_CONFIG, queue,
                      [attr(NFQA_CFG_CMD, struct.pack("=BBH", NFQNL_CFG_CMD_BIND, 0, 0))], NLM_F_REQUEST | NLM_F_ACK))
    sock.send(message(NFQNL_MSG_CONFIG, queue,
                      [attr(NFQA_CFG_PARAMS, struct.pack(">IB", 0, NFQNL_COPY_META) + b"\0\0\0"),
                       attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack(">I", 65536))], NLM_F_REQUEST | NLM_F_ACK))
    held = []  # (release time, sequence, packet id)
    sequence = 0
    print("ready", flush=True)
    while True:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        readable, _, _ = select.select([sock], [], [], timeout)
        if readable:
            data = sock.recv(1 << 20)
            offset = 0
            while offset + 16 <= len(data):
                length, kind, _, _, _ = struct.unpack_from("=IHHII", data, offset)
                if length < 16:
                    break
                if kind == NLMSG_ERROR:
                    error = struct.unpack_from("=i", data, offset + 16)[0]
                    if error != 0:
                        sys.exit("nfnetlink_queue refused a request: errno %d" % -error)
                elif kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                    position = offset + 20
                    while position + 4 <= offset + length:
                        attr_length, attr_kind = struct.unpack_from("=HH", data, position)
                        if attr_length < 4:
                            break
                        if attr_kind & 0x7fff == NFQA_PACKET_HDR:
                            packet_id = struct.unpack_from(">I", data, position + 4)[0]
                            heapq.heappush(held, (time.monotonic() + delay, sequence, packet_id))
                            sequence += 1
                        position += (attr_length + 3) & ~3
                offset += (length + 3) & ~3
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, _, packet_id = heapq.heappop(held)
            sock.send(message(NFQNL_MSG_VERDICT, queue,
                              [attr(NFQA_VERDICT_HDR, struct.pack(">II", NF_ACCEPT, packet_id))]))


if __name__ == "__main__":
    main()
