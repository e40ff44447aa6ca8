package com.microdrama.transcode.ladder;

/** How close one rung came to the source scaled to its size, over the frames that were compared. */
public record RungQuality(String rung, double ssim, double psnr, int frames) {
}
