#!/usr/bin/env bash
# Builds the `tiny` image from Debian packages: the Debian cloud kernel, a busybox initramfs with
# the virtio modules, the Dropbear SSH server and our init, and a small ext4 disk. Usage: build.sh OUTPUT_DIR
# Writes OUTPUT_DIR/{vmlinux,vmlinuz,initrd.img,disk.qcow2,recipe}; does nothing if they exist and were made by
# this recipe. A changed recipe rebuilds the kernel and initramfs but never the disk (see the end).
# vmlinux is what the driver boots: the kernel already decompressed, which QEMU starts directly at its PVH entry
# point (under TCG decompressing the bzImage costs a noticeable part of the boot). vmlinuz, the bzImage, stays for
# boot loaders (a custom image with SYSLINUX) and for VMs made before vmlinux existed.
set -euo pipefail
out=${1:?usage: build.sh OUTPUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
recipe=$(cat "$here/build.sh" "$here/init" "$here/inittab" | sha256sum | cut -c1-16)
[ -f "$out/vmlinux" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.img" ] && [ -f "$out/disk.qcow2" ] && [ "$(cat "$out/recipe" 2>/dev/null)" = "$recipe" ] && exit 0

for tool in busybox qemu-img mkfs.ext4 cpio dropbear dropbearkey lz4; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (apt-get install busybox-static qemu-utils e2fsprogs cpio dropbear-bin lz4)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# The kernel package named by the cloud metapackage, unpacked rather than installed.
kpkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
[ -n "$kpkg" ] || { echo "build.sh: apt-cache knows no linux-image-cloud-amd64 (run apt-get update)" >&2; exit 1; }
(cd "$work" && apt-get download "$kpkg" >/dev/null)
dpkg-deb -x "$work"/"$kpkg"_*.deb "$work/kernel"
kver=$(ls "$work/kernel/lib/modules")

root="$work/initramfs"
mkdir -p "$root"/{bin,sbin,etc/init.d,proc,sys,dev,lib/modules,root,tmp,usr/bin,usr/sbin}
cp "$(command -v busybox)" "$root/bin/busybox"
"$root/bin/busybox" --list-full | while read -r applet; do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci_modern_dev \
         drivers/virtio/virtio_pci drivers/block/virtio_blk net/core/failover drivers/net/net_failover drivers/net/virtio_net \
         drivers/cdrom/cdrom fs/isofs/isofs drivers/acpi/button drivers/input/evdev; do
  src="$work/kernel/lib/modules/$kver/kernel/$m.ko"
  if [ -f "$src" ]; then cp "$src" "$root/lib/modules/"; elif [ -f "$src.xz" ]; then xz -dc "$src.xz" > "$root/lib/modules/$(basename "$m").ko"; fi
done
# Dropbear from the host's dropbear-bin, with the libraries and loader it links (Debian's is dynamic).
for prog in "$(command -v dropbear)" "$(command -v dropbearkey)"; do
  for file in "$prog" $(ldd "$prog" | grep -oE '/[^ ]+'); do
    mkdir -p "$root$(dirname "$file")"
    cp -L "$file" "$root$file"
  done
done
echo /bin/sh > "$root/etc/shells"
install -m 755 "$here/init" "$root/etc/init.d/rcS"
cp "$here/inittab" "$root/etc/inittab"
ln -s /bin/busybox "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
# Uncompressed: the kernel copies 7 MB faster than it inflates 3.5 MB under TCG (~0.25 s of the boot).
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out/initrd.img.tmp"
cp "$work/kernel/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
# The bzImage's payload (x86 boot protocol: setup sectors at 0x1f1, payload offset and length at 0x248, the
# length counting a 4-byte size at its end), decompressed by the tool its magic names.
bz="$out/vmlinuz.tmp"
setup=$(od -An -tu1 -j 497 -N 1 "$bz" | tr -d ' '); [ "$setup" = 0 ] && setup=4
read -r poff plen < <(od -An -tu4 -j 584 -N 8 "$bz")
start=$(( (setup + 1) * 512 + poff ))
case $(od -An -tx1 -j "$start" -N 4 "$bz" | tr -d ' ') in
  02214c18) unpack="lz4 -dc" ;; 28b52ffd) unpack="zstd -dc" ;; fd377a58) unpack="xz -dc" ;; 1f8b08*) unpack="gzip -dc" ;; *) unpack="" ;;
esac
if [ -n "$unpack" ] && dd if="$bz" iflag=skip_bytes,count_bytes skip="$start" count=$((plen - 4)) status=none | $unpack > "$out/vmlinux.tmp" 2>/dev/null \
   && [ "$(head -c 4 "$out/vmlinux.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then :; else
  # QEMU boots the bzImage too (decompressing it in the guest): slower, never wrong.
  echo "build.sh: could not decompress the kernel (${unpack:-unknown format}); vmlinux is the bzImage" >&2
  cp "$bz" "$out/vmlinux.tmp"
fi

# The persistent disk: a small ext4 filesystem with a marker, as qcow2 (VM disks are overlays on it).
mkdir -p "$work/disk"
echo "tiny image built $(date -u +%FT%TZ) with kernel $kver" > "$work/disk/IMAGE"
mkfs.ext4 -q -F -L cloudsfor -d "$work/disk" "$work/disk.raw" 256M >/dev/null
qemu-img convert -q -f raw -O qcow2 "$work/disk.raw" "$out/disk.qcow2.tmp"

# Running VMs read their kernel and initramfs only at start: replacing them under a VM is harmless.
mv "$out/initrd.img.tmp" "$out/initrd.img"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$out/vmlinux.tmp" "$out/vmlinux"
# VM disks are overlays that read from disk.qcow2: an existing one is never replaced (another build
# would have other blocks under their data), only a missing one is written.
if [ -f "$out/disk.qcow2" ]; then rm "$out/disk.qcow2.tmp"; else mv "$out/disk.qcow2.tmp" "$out/disk.qcow2"; fi
echo "$recipe" > "$out/recipe"
echo "build.sh: tiny image in $out (kernel $kver)"
