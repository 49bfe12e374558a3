"""A photo by address (Open311's `media_url`), fetched by the server only from hosts an
administrator listed (OPEN311_MEDIA_URL_HOSTS, empty by default: every media_url is refused and
the client uploads the photo as `media` instead).

Even from a listed host: HTTPS only, the host's addresses must all be public (no loopback, private,
link-local or reserved address: a listed name that resolves inward is refused), the connection goes
to the address that was checked (a second DNS answer cannot point it elsewhere), no redirects, an
image content type, at most feedback.photos.MAX_UPLOAD_BYTES, a short timeout. The bytes then go
through feedback.photos.process like any upload.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .. import photos

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif")


class MediaError(ValueError):
    """The media_url is refused; the message says why, for the client's developer."""


def _allowed_hosts():
    return {host.lower() for host in getattr(settings, "OPEN311_MEDIA_URL_HOSTS", [])}


def _is_public(address):
    """Whether an address is on the public Internet (not loopback, private, link-local, reserved)."""
    address = ipaddress.ip_address(address.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _public_address(host, port):
    """The first address of `host`, if every address it resolves to is public; else MediaError."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise MediaError(_("Không tìm thấy máy chủ của media_url.")) from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(_is_public(address) for address in addresses):
        raise MediaError(_("media_url trỏ tới một địa chỉ nội bộ: không được tải."))
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a given address, with the certificate checked against the host name."""

    def __init__(self, host, address, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _download(host, address, port, path):
    """(content type, body) of GET https://host:port/path from `address`, at most the photo cap."""
    timeout = getattr(settings, "OPEN311_MEDIA_URL_TIMEOUT", 5)
    connection = _PinnedHTTPSConnection(host, address, port=port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": ", ".join(IMAGE_TYPES), "User-Agent": "smarthp-open311"})
        response = connection.getresponse()
        if response.status != 200:
            raise MediaError(_("media_url trả về mã %(status)s, không phải ảnh.") % {"status": response.status})
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in IMAGE_TYPES:
            raise MediaError(_("media_url không phải ảnh JPEG, PNG, WEBP hoặc HEIC."))
        body = response.read(photos.MAX_UPLOAD_BYTES + 1)
    except (OSError, http.client.HTTPException):
        raise MediaError(_("Không tải được ảnh từ media_url.")) from None
    finally:
        connection.close()
    if len(body) > photos.MAX_UPLOAD_BYTES:
        raise MediaError(
            _("Ảnh quá lớn (tối đa %(size)s MB mỗi ảnh).") % {"size": photos.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    return content_type, body


def fetch_photo(url):
    """The ProcessedPhoto at `url`, or MediaError (a refused address, or what photos.process refuses)."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if not host or host not in _allowed_hosts():
        raise MediaError(
            _("Cổng không tải ảnh theo media_url từ máy chủ này; hãy gửi tệp ảnh trong trường media (multipart).")
        )
    if parts.scheme != "https" or parts.username or parts.password:
        raise MediaError(_("media_url phải là một địa chỉ https://."))
    try:
        port = parts.port or 443
    except ValueError:
        raise MediaError(_("media_url không hợp lệ.")) from None
    address = _public_address(host, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    _content_type, body = _download(host, address, port, path)
    try:
        return photos.process(body)
    except photos.PhotoError as exc:
        raise MediaError(str(exc)) from None
