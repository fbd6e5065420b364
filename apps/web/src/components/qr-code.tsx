import { spacedTicketCode } from "@boxoffice/api/schemas/checkin";
import QRCode from "qrcode";
import { useEffect, useState } from "react";

/** A ticket code as a QR image (a data URL drawn in the browser; the code never leaves it). */
export function QrCode({ value, size = 160 }: { value: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { width: size, margin: 1, errorCorrectionLevel: "M" }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [value, size]);
  if (!src) return <div style={{ width: size, height: size }} className="bg-slate-100" />;
  return (
    <img
      src={src}
      width={size}
      height={size}
      // Grouped by four, as the code is printed beside it, so a screen reader reads it in chunks.
      alt={`QR code for ticket ${spacedTicketCode(value)}`}
      data-testid="ticket-qr"
    />
  );
}
