<?xml version="1.0" encoding="UTF-8"?>
<!--
  home/index.xsl - the public partner-program page at / (modules/home.c).

  Input, inside the core's <page> envelope:

    <program name="Aldercrest Partner Network" tagline="..." contact="...">
      <intro>...</intro>
      <tier slug="registered" name="Registered" position="1">
        <summary>...</summary>
        <benefit>...</benefit> ...
        <requirement>...</requirement> ...
      </tier> ...
    </program>

  Renders a hero (program name, tagline, intro, calls to action and the
  path through the tiers, each with how many benefits and requirements it
  has), the tiers as comparable cards in ascending
  position with benefits and requirements kept apart, and a closing
  call to action.  contact (an e-mail address) is optional: with it,
  "Become a partner" is a mailto: link, without it the button leads to
  the closing section.  No tiers, or no <program> at all, gives a friendly
  empty state instead of a broken page.

  To add a field to the cards, add it to the tier element in modules/home.c
  and render it in the "tier" template below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="program" select="/page/program"/>
  <xsl:variable name="ntiers" select="count($program/tier)"/>

  <xsl:variable name="program-name">
    <xsl:choose>
      <xsl:when test="normalize-space($program/@name) != ''">
        <xsl:value-of select="normalize-space($program/@name)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$site-name"/>
        <xsl:text> partner program</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- The tier partners join at: position 1, else the lowest position. -->
  <xsl:variable name="entry-name">
    <xsl:for-each select="$program/tier">
      <xsl:sort select="@position" data-type="number"/>
      <xsl:if test="position() = 1">
        <xsl:value-of select="@name"/>
      </xsl:if>
    </xsl:for-each>
  </xsl:variable>

  <xsl:variable name="join-href">
    <xsl:choose>
      <xsl:when test="contains($program/@contact, '@')">
        <xsl:text>mailto:</xsl:text>
        <xsl:value-of select="normalize-space($program/@contact)"/>
      </xsl:when>
      <xsl:otherwise>#join</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="$program-name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <xsl:call-template name="hero"/>
    <section class="section tiers" id="tiers" aria-labelledby="tiers-title">
      <div class="container">
        <div class="section-head">
          <h2 id="tiers-title">Partner tiers</h2>
          <xsl:if test="$ntiers &gt; 0">
            <p>
              <xsl:text>Every partner starts at </xsl:text>
              <strong><xsl:value-of select="$entry-name"/></strong>
              <xsl:text>. As your business with us grows and you meet a tier's requirements, you move up and unlock more benefits.</xsl:text>
            </p>
          </xsl:if>
        </div>
        <xsl:choose>
          <xsl:when test="$ntiers &gt; 0">
            <ol class="tier-grid">
              <xsl:apply-templates select="$program/tier">
                <xsl:sort select="@position" data-type="number"/>
              </xsl:apply-templates>
            </ol>
          </xsl:when>
          <xsl:otherwise>
            <div class="empty-state">
              <p class="empty-title">Our partner tiers are being finalised.</p>
              <p>Check back soon to compare benefits and requirements. Existing partners can sign in to see their current status.</p>
            </div>
          </xsl:otherwise>
        </xsl:choose>
      </div>
    </section>
    <xsl:call-template name="join"/>
  </xsl:template>

  <xsl:template name="hero">
    <section class="hero" aria-labelledby="hero-title">
      <div class="container hero-inner">
        <div class="hero-copy">
          <p class="eyebrow">Partner program</p>
          <h1 id="hero-title"><xsl:value-of select="$program-name"/></h1>
          <xsl:if test="normalize-space($program/@tagline) != ''">
            <p class="tagline"><xsl:value-of select="$program/@tagline"/></p>
          </xsl:if>
          <xsl:if test="normalize-space($program/intro) != ''">
            <div class="intro">
              <xsl:call-template name="paragraphs">
                <xsl:with-param name="text" select="$program/intro"/>
              </xsl:call-template>
            </div>
          </xsl:if>
          <p class="actions">
            <a class="button button-primary" href="{$join-href}">Become a partner</a>
            <a class="button button-secondary" href="/login">Sign in</a>
          </p>
        </div>
        <xsl:if test="$ntiers &gt; 1">
          <div class="hero-path">
            <h2 class="hero-path-title">Your path</h2>
            <ol class="path">
              <xsl:for-each select="$program/tier">
                <xsl:sort select="@position" data-type="number"/>
                <li class="path-step tier--{@slug}">
                  <a href="#tier-{@slug}">
                    <span class="path-dot" aria-hidden="true"/>
                    <span class="path-name"><xsl:value-of select="@name"/></span>
                    <span class="path-summary">
                      <xsl:call-template name="counted">
                        <xsl:with-param name="n" select="count(benefit)"/>
                        <xsl:with-param name="one" select="'benefit'"/>
                        <xsl:with-param name="many" select="'benefits'"/>
                      </xsl:call-template>
                      <xsl:text> · </xsl:text>
                      <xsl:call-template name="counted">
                        <xsl:with-param name="n" select="count(requirement)"/>
                        <xsl:with-param name="one" select="'requirement'"/>
                        <xsl:with-param name="many" select="'requirements'"/>
                      </xsl:call-template>
                    </span>
                  </a>
                </li>
              </xsl:for-each>
            </ol>
          </div>
        </xsl:if>
      </div>
    </section>
  </xsl:template>

  <!-- "1 benefit", "3 benefits", "no requirements". -->
  <xsl:template name="counted">
    <xsl:param name="n"/>
    <xsl:param name="one"/>
    <xsl:param name="many"/>
    <xsl:choose>
      <xsl:when test="$n = 0">no <xsl:value-of select="$many"/></xsl:when>
      <xsl:when test="$n = 1">1 <xsl:value-of select="$one"/></xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$n"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="$many"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tier">
    <xsl:variable name="rank" select="position()"/>
    <li class="tier tier--{@slug}" id="tier-{@slug}">
      <article class="tier-card" aria-labelledby="tier-{@slug}-name">
        <header class="tier-head">
          <p class="tier-level">
            <xsl:text>Tier </xsl:text>
            <xsl:value-of select="$rank"/>
            <xsl:text> of </xsl:text>
            <xsl:value-of select="$ntiers"/>
            <xsl:choose>
              <xsl:when test="$rank = 1">
                <span class="badge">Start here</span>
              </xsl:when>
              <xsl:when test="$rank = $ntiers">
                <span class="badge badge-top">Top tier</span>
              </xsl:when>
            </xsl:choose>
          </p>
          <h3 id="tier-{@slug}-name" class="tier-name">
            <span class="tier-medal" aria-hidden="true"/>
            <xsl:value-of select="@name"/>
          </h3>
          <xsl:if test="normalize-space(summary) != ''">
            <p class="tier-summary"><xsl:value-of select="summary"/></p>
          </xsl:if>
        </header>
        <section class="tier-section tier-benefits">
          <h4>Benefits</h4>
          <xsl:choose>
            <xsl:when test="benefit">
              <ul class="checklist">
                <xsl:for-each select="benefit">
                  <li><xsl:value-of select="."/></li>
                </xsl:for-each>
              </ul>
            </xsl:when>
            <xsl:otherwise>
              <p class="muted">Benefits will be announced soon.</p>
            </xsl:otherwise>
          </xsl:choose>
        </section>
        <section class="tier-section tier-requirements">
          <h4>Requirements</h4>
          <xsl:choose>
            <xsl:when test="requirement">
              <ul class="reqlist">
                <xsl:for-each select="requirement">
                  <li><xsl:value-of select="."/></li>
                </xsl:for-each>
              </ul>
            </xsl:when>
            <xsl:otherwise>
              <p class="muted">No requirements.</p>
            </xsl:otherwise>
          </xsl:choose>
        </section>
      </article>
    </li>
  </xsl:template>

  <xsl:template name="join">
    <section class="section join" id="join" aria-labelledby="join-title">
      <div class="container">
        <div class="join-card">
          <div class="join-copy">
            <h2 id="join-title">Ready to grow with us?</h2>
            <p>
              <xsl:choose>
                <xsl:when test="$ntiers &gt; 0">
                  <xsl:text>New partners join at </xsl:text>
                  <xsl:value-of select="$entry-name"/>
                  <xsl:text>. </xsl:text>
                </xsl:when>
              </xsl:choose>
              <xsl:choose>
                <xsl:when test="contains($program/@contact, '@')">
                  <xsl:text>Write to </xsl:text>
                  <a href="{$join-href}"><xsl:value-of select="normalize-space($program/@contact)"/></a>
                  <xsl:text> and our partner team will get you set up.</xsl:text>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:text>Talk to your channel manager and we will get you set up.</xsl:text>
                </xsl:otherwise>
              </xsl:choose>
              <xsl:text> Already a partner? Sign in for collateral, announcements and your tier status.</xsl:text>
            </p>
          </div>
          <p class="actions">
            <xsl:if test="contains($program/@contact, '@')">
              <a class="button button-primary" href="{$join-href}">Become a partner</a>
            </xsl:if>
            <a class="button button-secondary" href="/login">Sign in</a>
          </p>
        </div>
      </div>
    </section>
  </xsl:template>

</xsl:stylesheet>
