<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/invitation.xsl - an invitation as its recipient sees it, at
  /invitations/{token} (modules/communities/invitations.c).

  Input, inside the core's <page> envelope:

    <invitation id="" token="" expires="" inviter="">
      <community slug="" name="" ...><description/></community>
    </invitation>

  The community's name and description, who invited, until when, and two
  POST forms (with the CSRF field) back to the same address: accept and
  decline.  Anyone but the recipient gets the not-found page instead.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="inv" select="/page/invitation"/>

  <xsl:template match="page" mode="title">Invitation</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <div class="page-head">
        <p class="eyebrow">Invitation</p>
        <h1><xsl:value-of select="$inv/community/@name"/></h1>
        <p class="muted">
          <xsl:value-of select="$inv/@inviter"/>
          <xsl:text> invites you to this community. The invitation is open until </xsl:text>
          <xsl:value-of select="$inv/@expires"/>
          <xsl:text>.</xsl:text>
        </p>
      </div>
      <section class="panel">
        <h2 class="visually-hidden">About the community</h2>
        <xsl:if test="$inv/community/@private = 'yes'">
          <p><span class="tag">Private</span></p>
        </xsl:if>
        <xsl:call-template name="paragraphs">
          <xsl:with-param name="text" select="$inv/community/description"/>
        </xsl:call-template>
        <div class="comm-actions">
          <form method="post" action="/invitations/{$inv/@token}">
            <xsl:call-template name="csrf-field"/>
            <input type="hidden" name="action" value="accept"/>
            <button class="button button-primary" type="submit">Accept and join</button>
          </form>
          <form method="post" action="/invitations/{$inv/@token}">
            <xsl:call-template name="csrf-field"/>
            <input type="hidden" name="action" value="decline"/>
            <button class="button button-secondary" type="submit">Decline</button>
          </form>
        </div>
      </section>
    </div>
  </xsl:template>

</xsl:stylesheet>
