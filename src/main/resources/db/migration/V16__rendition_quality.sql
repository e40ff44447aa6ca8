-- The quality report of a version (catalogue): per published rung, its measured bitrate and its SSIM and PSNR
-- against the source scaled to the rung, over the sampled frames. Written with the version's renditions.
create table rendition_quality (
    version_id      uuid not null references episode_version (id) on delete cascade,
    rendition_name  text not null,
    width           integer not null check (width > 0),
    height          integer not null check (height > 0),
    bitrate         integer not null check (bitrate > 0),
    ssim            double precision not null check (ssim <= 1),
    psnr            double precision not null check (psnr >= 0),
    sampled_frames  integer not null check (sampled_frames > 0),
    rate_control    text not null check (rate_control in ('per-title', 'fixed')),
    primary key (version_id, rendition_name)
);
